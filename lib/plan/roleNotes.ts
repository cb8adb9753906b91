import type { SnapshotNode } from '../cluster/types';
import type { PreCheck } from '../failover/prechecks';

/**
 * What Redis itself does with roles around a rebalance or a drain (OPS-REFERENCE "Seen on real clusters"): a master
 * left with no replica cannot fail over and may be given one by replica migration; a master emptied of its slots
 * turns itself into a replica. Pure: read from a snapshot, shown as warnings and job notes.
 */

const working = (n: SnapshotNode) => !n.flags.some((f) => f === 'fail' || f === 'fail?' || f === 'handshake');
const replicasOf = (nodes: readonly SnapshotNode[], masterId: string) =>
  nodes.filter((n) => n.role === 'replica' && n.masterId === masterId && working(n));

/** A node's setting as read by CONFIG GET cluster-*, or Redis's default when unknown. */
const setting = (node: SnapshotNode | undefined, name: string, fallback: string) =>
  node?.clusterConfig?.[name] ?? fallback;

/** `cluster-allow-replica-migration` (Redis 7 and Valkey; yes by default): off only when the node says no. */
export const allowsReplicaMigration = (node: SnapshotNode | undefined): boolean =>
  setting(node, 'cluster-allow-replica-migration', 'yes') !== 'no';

/**
 * The master that replica migration could take a replica from: one with more working replicas than its
 * cluster-migration-barrier (default 1) whose replicas allow it; the one with the most replicas, as Redis picks.
 */
function donor(nodes: readonly SnapshotNode[]): { master: SnapshotNode; replicas: number } | undefined {
  let best: { master: SnapshotNode; replicas: number } | undefined;
  for (const master of nodes.filter((n) => n.role === 'master' && working(n))) {
    const replicas = replicasOf(nodes, master.id);
    const [first] = replicas;
    const barrier = Number(setting(first, 'cluster-migration-barrier', '1'));
    if (!first || replicas.length <= barrier || !replicas.every(allowsReplicaMigration)) continue;
    if (!best || replicas.length > best.replicas) best = { master, replicas: replicas.length };
  }
  return best;
}

/** One warning per master that receives slots and has no working replica: those slots cannot fail over. */
export function unreplicatedTargetChecks(
  nodes: readonly SnapshotNode[],
  targets: readonly SnapshotNode[],
  slotsAfter: (id: string) => number,
): PreCheck[] {
  const from = donor(nodes);
  return targets
    .filter((t) => replicasOf(nodes, t.id).length === 0)
    .map((t) => {
      const migration = from
        ? `, and Redis may move a replica to it from a master with ${from.replicas} (replica migration: ${from.master.addr})`
        : '; no master has a replica to spare for replica migration, so give it one (Add node… as a replica)';
      return {
        name: `replica of ${t.addr}`,
        status: 'warn' as const,
        value: 'none',
        detail: `${t.addr} has no replica: its ${slotsAfter(t.id)} slots cannot fail over${migration}`,
      };
    });
}

/**
 * The drain's plan: Redis turns the emptied master into a replica of the master that takes its last slot when
 * cluster-allow-replica-migration is yes (the default), and also with no when that master took all of its slots.
 */
export function drainRoleCheck(node: SnapshotNode, targetCount: number): PreCheck {
  const allows = allowsReplicaMigration(node);
  const setting = node.clusterConfig?.['cluster-allow-replica-migration'];
  const why = setting ? `cluster-allow-replica-migration ${setting}` : 'cluster-allow-replica-migration yes by default';
  if (allows || targetCount === 1)
    return {
      name: `role of ${node.addr} afterwards`,
      status: 'warn',
      value: 'becomes a replica',
      detail: `Redis turns an emptied master into a replica of the master that takes its last slot (${allows ? why : 'all its slots go to one master'}), and its replicas follow it; Remove node… will then take it out as a replica`,
    };
  return {
    name: `role of ${node.addr} afterwards`,
    status: 'pass',
    value: 'stays a master, empty',
    detail: `${why}: Remove node… will then take it out as an empty master`,
  };
}

/**
 * The job's note on what the drained node is now, read from the nodes after the last slot moved; `formerReplicas`
 * are the ids of its replicas before the drain.
 */
export function drainOutcomeNote(
  nodes: readonly SnapshotNode[],
  nodeId: string,
  formerReplicas: readonly string[] = [],
): string {
  const node = nodes.find((n) => n.id === nodeId);
  if (!node) return `${nodeId.slice(0, 8)} is no longer listed by the cluster`;
  if (node.role === 'replica') {
    const master = nodes.find((n) => n.id === node.masterId);
    const of = master ? master.addr : (node.masterId ?? '?').slice(0, 8);
    const followed = nodes.filter((n) => formerReplicas.includes(n.id) && n.masterId === node.masterId);
    const follow = followed.length
      ? `; its replica${followed.length === 1 ? '' : 's'} ${followed.map((n) => n.addr).join(', ')} followed`
      : '';
    return `${node.addr} is now a replica of ${of} (Redis does this to an emptied master)${follow}; Remove node… will take it out as a replica`;
  }
  if (node.slotCount === 0)
    return `${node.addr} is a master with no slots; Remove node… will take it out${allowsReplicaMigration(node) ? ' (Redis may still turn it into a replica first)' : ''}`;
  return `${node.addr} still owns ${node.slotCount} slots`;
}
