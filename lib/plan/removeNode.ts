import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { hostOf } from './addNode';

type Member = Pick<
  SnapshotNode,
  'id' | 'addr' | 'role' | 'masterId' | 'flags' | 'slots' | 'slotCount' | 'reachable' | 'migrating' | 'importing'
> & { info?: { keys: number } };

export interface NodeRef {
  id: string;
  addr: string;
}

/** One step of a removal, in the order the job runs them; `name` is the step's line in the preview and the job. */
export type RemoveNodeStep =
  | { kind: 'recheck'; name: string }
  | { kind: 'rehome'; name: string; replica: NodeRef; master: NodeRef; sameHost: boolean }
  | { kind: 'forget'; name: string; nodes: NodeRef[] }
  | { kind: 'verify'; name: string }
  | { kind: 'reset'; name: string; node: NodeRef };

export interface RemoveNodePlan {
  nodeId: string;
  addr: string;
  role: 'master' | 'replica';
  steps: RemoveNodeStep[];
  /** Worth knowing, not a refusal (a replica re-homed onto its own host, a node that cannot be reset). */
  notes: string[];
}

export type RemoveNodeDecision =
  | { ok: true; plan: RemoveNodePlan }
  /** `drainFirst`: a master that still owns slots; draining it (the drain job) is the way on. */
  | { ok: false; reason: string; drainFirst?: { nodeId: string; slots: number } };

/** Redis refuses CLUSTER RESET on a master that holds keys ("can't be called with master nodes containing keys"). */
export const masterWithKeys = (label: string, keys: number) =>
  `${label} is a slot-less master that still holds ${keys} keys (in slots it does not own, out of clients' reach): Redis refuses CLUSTER RESET on a master holding keys; see what they are and FLUSHALL it first, then remove it`;

const failing = (n: Member) => n.flags.some((f) => f === 'fail' || f === 'fail?' || f === 'pfail');
const healthy = (n: Member) => n.reachable && !failing(n) && !n.flags.includes('handshake') && n.addr !== '';
const lowestSlot = (n: Member) => (n.slots.length ? Math.min(...n.slots.map(([a]) => a)) : Number.POSITIVE_INFINITY);

/**
 * The master a replica of the removed node replicates next. redis-cli del-node (clusterManagerCommandDeleteNode)
 * takes the master with the fewest replicas (clusterManagerNodeWithLeastReplicas); here a master on another host than
 * the replica comes first when there is one, then a master that owns slots, then fewest replicas (counting the
 * replicas re-homed so far), lowest slot, id.
 */
export function rehomeTarget(
  candidates: readonly Member[],
  replicaAddr: string,
  replicas: ReadonlyMap<string, number>,
): Member | undefined {
  const host = hostOf(replicaAddr);
  const key = (n: Member) => [hostOf(n.addr) === host ? 1 : 0, n.slotCount > 0 ? 0 : 1, replicas.get(n.id) ?? 0];
  return [...candidates].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) {
      const d = (ka[i] ?? 0) - (kb[i] ?? 0);
      if (d !== 0) return d;
    }
    return lowestSlot(a) - lowestSlot(b) || a.id.localeCompare(b.id);
  })[0];
}

export function replicaCounts(nodes: readonly Member[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of nodes)
    if (n.role === 'replica' && n.masterId && !n.flags.includes('fail'))
      counts.set(n.masterId, (counts.get(n.masterId) ?? 0) + 1);
  return counts;
}

/**
 * How to take a node out of the cluster (redis-cli --cluster del-node's order): a master must own no slot; each of
 * its replicas is re-homed first; then, once every node's own view shows nothing that blocks it, CLUSTER FORGET on every
 * node those views list, at once (the ban list lasts 60 s, after which gossip from a node that did not take it would
 * bring the node back), verified against every node's own view; then CLUSTER RESET SOFT on the removed node if it
 * answers (a replica's copy of the data is flushed), so it stops gossiping the others back. A slot-less master still
 * holding keys is refused: Redis refuses CLUSTER RESET there.
 */
export function planRemoveNode(snapshot: ClusterSnapshot, nodeId: string): RemoveNodeDecision {
  const nodes = snapshot.nodes;
  const target = nodes.find((n) => n.id === nodeId);
  if (!target) return { ok: false, reason: `no node ${nodeId} in this cluster` };
  const others = nodes.filter((n) => n.id !== nodeId);
  if (others.length === 0) return { ok: false, reason: `${target.addr} is the cluster's last node` };
  const label = target.addr || nodeId;
  if (target.role === 'master' && target.slotCount > 0)
    return {
      ok: false,
      reason: `${label} is a master that owns ${target.slotCount} slots: drain it first (its slots to the other masters), then remove it`,
      drainFirst: { nodeId, slots: target.slotCount },
    };
  const keys = target.info?.keys ?? 0;
  if (target.role === 'master' && keys > 0) return { ok: false, reason: masterWithKeys(label, keys) };
  if (target.migrating.length > 0 || target.importing.length > 0)
    return { ok: false, reason: `${label} has open slots (migrating or importing): fix them first` };
  if (others.some((n) => n.importing.some((i) => i.from === nodeId) || n.migrating.some((m) => m.to === nodeId)))
    return { ok: false, reason: `a slot is open towards ${label}: fix it first` };
  if (!others.some(healthy)) return { ok: false, reason: 'no other node answers: nothing could forget it' };

  const steps: RemoveNodeStep[] = [
    {
      kind: 'recheck',
      name: `check ${label} again: no slots, no open slot${target.role === 'master' ? ', no keys (DBSIZE)' : ''}`,
    },
  ];
  const notes: string[] = [];
  const ownReplicas = others.filter((n) => n.role === 'replica' && n.masterId === nodeId);
  const masters = others.filter((n) => n.role === 'master' && healthy(n));
  const counts = replicaCounts(others);
  for (const replica of ownReplicas) {
    if (!healthy(replica))
      return {
        ok: false,
        reason: `its replica ${replica.addr || replica.id} does not answer or is failing: it cannot be re-homed`,
      };
    const master = rehomeTarget(masters, replica.addr, counts);
    if (!master) return { ok: false, reason: `no other healthy master to re-home its replica ${replica.addr} to` };
    counts.set(master.id, (counts.get(master.id) ?? 0) + 1);
    const sameHost = hostOf(master.addr) === hostOf(replica.addr);
    if (sameHost)
      notes.push(`${replica.addr} will replicate ${master.addr} on its own host: no master on another host`);
    if (master.slotCount === 0) notes.push(`${master.addr}, ${replica.addr}'s new master, owns no slot`);
    steps.push({
      kind: 'rehome',
      name: `CLUSTER REPLICATE ${master.id.slice(0, 8)} on ${replica.addr} (re-home to ${master.addr}), master_link_status:up`,
      replica: { id: replica.id, addr: replica.addr },
      master: { id: master.id, addr: master.addr },
      sameHost,
    });
  }
  const itsMaster = target.role === 'replica' ? others.find((n) => n.id === target.masterId) : undefined;
  if (itsMaster && itsMaster.slotCount > 0 && (counts.get(itsMaster.id) ?? 0) <= 1)
    notes.push(`${itsMaster.addr} is left without a replica: a failure of it loses its ${itsMaster.slotCount} slots`);
  const forgetOn = others.map((n) => ({ id: n.id, addr: n.addr }));
  const silent = others.filter((n) => !healthy(n));
  if (silent.length)
    notes.push(
      `${silent.map((n) => n.addr || n.id).join(', ')} ${silent.length === 1 ? 'does' : 'do'} not answer: told to FORGET anyway, named if it does not take it`,
    );
  steps.push({
    kind: 'forget',
    name: `CLUSTER FORGET ${nodeId.slice(0, 8)} on every other node at once (${forgetOn.length} now; first each node's own view: no replica of it, no slot, no open slot)`,
    nodes: forgetOn,
  });
  steps.push({
    kind: 'verify',
    name: `no answering node's CLUSTER NODES lists ${label} (re-adding by gossip after the 60 s ban is not watched)`,
  });
  if (target.reachable && target.addr !== '') {
    const flush = target.role === 'master' ? '' : ': it becomes an empty master, its copy of the data is flushed';
    steps.push({
      kind: 'reset',
      name: `CLUSTER RESET SOFT on ${label}${flush}`,
      node: { id: nodeId, addr: target.addr },
    });
  } else notes.push(`${label} does not answer: it is not reset (reset it before it ever comes back)`);
  return {
    ok: true,
    plan: { nodeId, addr: target.addr, role: target.role === 'master' ? 'master' : 'replica', steps, notes },
  };
}
