import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { hostOf } from './addNode';
import { type NodeRef, rehomeTarget, replicaCounts } from './removeNode';

type Member = Pick<
  SnapshotNode,
  'id' | 'addr' | 'role' | 'masterId' | 'flags' | 'slots' | 'slotCount' | 'reachable' | 'migrating' | 'importing'
>;

export interface MoveReplicaPlan {
  replica: NodeRef;
  from: NodeRef;
  to: NodeRef & { replicas: number; sameHost: boolean };
  /** True when the operator did not name the master: the default choice (other host, fewest replicas). */
  defaulted: boolean;
  /** The job's steps, as the preview shows them. */
  steps: string[];
  notes: string[];
}

export type MoveReplicaDecision = { ok: true; plan: MoveReplicaPlan } | { ok: false; reason: string };

const healthy = (n: Member) =>
  n.reachable &&
  n.addr !== '' &&
  !n.flags.some((f) => f === 'fail' || f === 'fail?' || f === 'pfail' || f === 'handshake' || f === 'noaddr');

/**
 * CLUSTER REPLICATE <master> on a replica, with the anti-affinity check: a master on the replica's own host is named
 * in the plan when a master on another host exists (losing the host would lose both copies of the shard). Without a
 * chosen master: the master with slots on another host with the fewest replicas (as add-node's default).
 */
export function planMoveReplica(snapshot: ClusterSnapshot, replicaId: string, masterId?: string): MoveReplicaDecision {
  const nodes = snapshot.nodes;
  const replica = nodes.find((n) => n.id === replicaId);
  if (!replica) return { ok: false, reason: `no node ${replicaId} in this cluster` };
  if (replica.role !== 'replica' || !replica.masterId)
    return { ok: false, reason: `${replica.addr} is not a replica: only a replica is moved to another master` };
  if (!healthy(replica)) return { ok: false, reason: `${replica.addr} does not answer or is failing` };
  const current = nodes.find((n) => n.id === replica.masterId);
  const from = { id: replica.masterId, addr: current?.addr ?? '' };
  const candidates = nodes.filter(
    (n) => n.role === 'master' && n.id !== replica.masterId && n.slotCount > 0 && healthy(n),
  );
  const host = hostOf(replica.addr);
  const counts = replicaCounts(nodes);
  let target: Member | undefined;
  if (masterId) {
    target = nodes.find((n) => n.id === masterId);
    if (!target) return { ok: false, reason: `no node ${masterId} in this cluster` };
    if (target.id === replica.masterId)
      return { ok: false, reason: `${replica.addr} already replicates ${target.addr}` };
    if (target.id === replica.id) return { ok: false, reason: 'a node cannot replicate itself' };
    if (target.role !== 'master') return { ok: false, reason: `${target.addr} is not a master` };
    if (!healthy(target)) return { ok: false, reason: `master ${target.addr} does not answer or is failing` };
  } else {
    target = rehomeTarget(candidates, replica.addr, counts);
    if (!target) return { ok: false, reason: 'no other healthy master with slots to move it to' };
  }
  const notes: string[] = [];
  const sameHost = hostOf(target.addr) === host;
  if (sameHost) {
    const elsewhere = candidates.filter((n) => hostOf(n.addr) !== host);
    notes.push(
      elsewhere.length
        ? `${target.addr} is on ${host}, ${replica.addr}'s own host: losing the host loses both copies; on another host: ${elsewhere.map((n) => n.addr).join(', ')}`
        : `${target.addr} is on ${host}, ${replica.addr}'s own host: every other master is there too`,
    );
  }
  if (target.slotCount === 0) notes.push(`${target.addr} owns no slot: the replica would copy nothing`);
  const left = (counts.get(from.id) ?? 0) - 1;
  if (current && left <= 0 && current.slotCount > 0)
    notes.push(
      `${current.addr} is left without a replica: a failure of it loses its ${current.slotCount} slots (with cluster-allow-replica-migration yes, the nodes may move a replica back to it within seconds)`,
    );
  return {
    ok: true,
    plan: {
      replica: { id: replica.id, addr: replica.addr },
      from,
      to: { id: target.id, addr: target.addr, replicas: counts.get(target.id) ?? 0, sameHost },
      defaulted: !masterId,
      steps: [
        `check ${replica.addr} and ${target.addr} again`,
        `CLUSTER REPLICATE ${target.id.slice(0, 8)} on ${replica.addr}`,
        `master_link_status:up on ${replica.addr}`,
        `${target.addr}'s own view lists ${replica.addr} as its replica`,
      ],
      notes,
    },
  };
}
