import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { bestReplica } from '../failover/prechecks';
import { formatRanges } from '../redis/slots';

/** The job kind, in the job list and the stream. */
export const ROLLING_RESTART_KIND = 'rolling-restart';

export interface RollingRestartInput {
  /** After each master's restart, promote it back (a default failover) so every shard ends on its old master. */
  failBack: boolean;
  /**
   * Restart masters that have slots and no replica too. Their slots are unavailable until they are back: without this
   * acknowledgement they are left out (a skipped step naming them).
   */
  restartLoneMasters?: boolean;
  /** Left out by the operator (e.g. already restarted by a rolling restart that stopped): a skipped step each. */
  skipNodeIds?: readonly string[];
}

/** Why a node is restarted at that point of the order. */
export type RestartRole =
  /** A replica, restarted first: nothing is unavailable meanwhile. */
  | 'replica'
  /** A master just failed over to its best replica: a replica now. */
  | 'old-master'
  /** A master without slots: no failover needed. */
  | 'empty-master'
  /** A master with slots and no replica, acknowledged: its slots are unavailable until it is back. */
  | 'lone-master';

export type RollingRestartStep =
  | { kind: 'restart'; name: string; nodeId: string; addr: string; role: RestartRole; masterId?: string }
  | { kind: 'failover'; name: string; masterId: string; masterAddr: string; replicaId: string; replicaAddr: string }
  | { kind: 'failback'; name: string; nodeId: string; addr: string; fromId: string; fromAddr: string }
  | { kind: 'skip'; name: string; nodeId: string; addr: string; reason: string };

export interface RollingRestartPlan {
  steps: RollingRestartStep[];
  /** Why the job cannot start now (the cluster must be healthy before its first step). */
  blockers: string[];
  /** Worth reading before starting, not refusals. */
  notes: string[];
  allowed: boolean;
}

type Node = SnapshotNode;

const unhealthyFlags = ['fail', 'fail?', 'pfail', 'handshake', 'noaddr'];
const lowestSlot = (n: Node) => (n.slots.length ? Math.min(...n.slots.map(([a]) => a)) : Number.POSITIVE_INFINITY);
const byShard = (a: Node, b: Node) => lowestSlot(a) - lowestSlot(b) || a.addr.localeCompare(b.addr);

/** What stops the plan from starting: the order assumes every node answers and the cluster is whole. */
export function blockersOf(snapshot: ClusterSnapshot): string[] {
  const blockers: string[] = [];
  if (snapshot.status !== 'ok') blockers.push(`cluster_state is ${snapshot.status}, not ok`);
  if (snapshot.summary.slotsCovered < 16384)
    blockers.push(`${16384 - snapshot.summary.slotsCovered} slots are not covered`);
  for (const n of snapshot.nodes) {
    const bad = n.flags.filter((f) => unhealthyFlags.includes(f));
    if (bad.length) blockers.push(`${n.addr || n.id.slice(0, 8)} is flagged ${bad.join(',')}`);
    else if (n.outsideNodeNetworks) blockers.push(`${n.addr} is outside nodeNetworks: its restart cannot be watched`);
    else if (!n.reachable) blockers.push(`${n.addr} does not answer the dashboard: its restart could not be detected`);
    if (n.migrating.length || n.importing.length)
      blockers.push(`${n.addr} has open slots (migrating/importing): finish or fix them first`);
    if (n.role === 'replica' && n.reachable && n.info?.master_link_status !== 'up')
      blockers.push(`${n.addr}: master_link_status is ${n.info?.master_link_status ?? 'unknown'}, not up`);
  }
  return blockers;
}

/**
 * The order of a rolling restart: every replica first, one at a time, shard by shard (lowest slot first); then each
 * master, one shard at a time: a default failover to its best replica (the failover job's choice), the old master's
 * restart (a replica by then), and, if asked, a failback to it. A master with slots and no replica is restarted only
 * when acknowledged, since its slots are unavailable until it is back; else its step says so and skips it.
 */
export function planRollingRestart(snapshot: ClusterSnapshot, input: RollingRestartInput): RollingRestartPlan {
  const masters = snapshot.nodes.filter((n) => n.role === 'master').sort(byShard);
  const addrOf = (id: string | null) => snapshot.nodes.find((n) => n.id === id)?.addr ?? id?.slice(0, 8) ?? '?';
  const replicasOf = (m: Node) =>
    snapshot.nodes
      .filter((n) => n.role === 'replica' && n.masterId === m.id)
      .sort((a, b) => a.addr.localeCompare(b.addr));
  const steps: RollingRestartStep[] = [];
  const notes: string[] = [];
  const known = new Set([...masters.map((m) => m.id), ...masters.flatMap((m) => replicasOf(m).map((r) => r.id))]);
  const orphans = snapshot.nodes.filter((n) => !known.has(n.id));
  if (orphans.length) notes.push(`not in the order (role unknown): ${orphans.map((n) => n.addr).join(', ')}`);

  const leftOut = new Set(input.skipNodeIds ?? []);
  const strangers = [...leftOut].filter((id) => !snapshot.nodes.some((n) => n.id === id));
  if (strangers.length)
    notes.push(`not members, nothing to leave out: ${strangers.map((id) => id.slice(0, 8)).join(', ')}`);
  const skip = (n: Node, what: string): RollingRestartStep => ({
    kind: 'skip',
    name: `skip ${what} ${n.addr} (left out)`,
    nodeId: n.id,
    addr: n.addr,
    reason: `${n.addr} is left out, as asked: not restarted${what === 'master' ? ', not failed over' : ''}`,
  });
  for (const m of masters) {
    for (const r of replicasOf(m))
      steps.push(
        leftOut.has(r.id)
          ? skip(r, 'replica')
          : {
              kind: 'restart',
              name: `restart replica ${r.addr} (of ${m.addr})`,
              nodeId: r.id,
              addr: r.addr,
              role: 'replica',
              masterId: m.id,
            },
      );
  }
  for (const m of masters) {
    if (leftOut.has(m.id)) {
      steps.push(skip(m, 'master'));
      continue;
    }
    if (m.slotCount === 0) {
      steps.push({
        kind: 'restart',
        name: `restart ${m.addr} (master without slots)`,
        nodeId: m.id,
        addr: m.addr,
        role: 'empty-master',
      });
      continue;
    }
    const best = bestReplica(snapshot, m.id);
    if (!best) {
      const slots = `${m.slotCount} slots (${formatRanges(m.slots)})`;
      if (input.restartLoneMasters) {
        notes.push(`${m.addr} has no replica: while it restarts its ${slots} are unavailable`);
        steps.push({
          kind: 'restart',
          name: `restart ${m.addr} (no replica: ${m.slotCount} slots unavailable meanwhile)`,
          nodeId: m.id,
          addr: m.addr,
          role: 'lone-master',
        });
      } else {
        steps.push({
          kind: 'skip',
          name: `skip ${m.addr} (master without a replica)`,
          nodeId: m.id,
          addr: m.addr,
          reason: `${m.addr} has no replica: restarting it makes its ${slots} unavailable until it is back. Not restarted; acknowledge (restartLoneMasters) to include it.`,
        });
      }
      continue;
    }
    steps.push({
      kind: 'failover',
      name: `fail over ${m.addr} to ${best.addr}`,
      masterId: m.id,
      masterAddr: m.addr,
      replicaId: best.id,
      replicaAddr: best.addr,
    });
    steps.push({
      kind: 'restart',
      name: `restart ${m.addr} (old master, a replica of ${best.addr} now)`,
      nodeId: m.id,
      addr: m.addr,
      role: 'old-master',
      masterId: best.id,
    });
    if (input.failBack)
      steps.push({
        kind: 'failback',
        name: `fail back to ${m.addr}`,
        nodeId: m.id,
        addr: m.addr,
        fromId: best.id,
        fromAddr: addrOf(best.id),
      });
  }
  const blockers = blockersOf(snapshot);
  return { steps, blockers, notes, allowed: blockers.length === 0 };
}
