import type { TargetCheckResult } from '../api/types';
import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { noAnswer } from './createCheck';

export type AddNodeRole = 'master' | 'replica';

export interface AddNodeInput {
  addr: string;
  role: AddNodeRole;
  /** A replica's master, chosen by the operator; absent = the default choice (fewest replicas, other host). */
  masterId?: string;
}

/** What the job will do, as the operator previews it. */
export interface AddNodePlan {
  addr: string;
  /** The candidate's own id (CLUSTER MYID), so every member's view can be checked for it. */
  nodeId: string;
  role: AddNodeRole;
  /** Members that must list the new node before it counts as joined: every reachable node of the planning poll. */
  members: string[];
  /** The member the candidate is told to MEET (redis-cli: the node given as the existing one). */
  meetVia: { id: string; addr: string };
  /** Replicas only: the master it will replicate. */
  master?: { id: string; addr: string; replicas: number; sameHost: boolean };
  /** Worth knowing, not a refusal (a chosen master on the candidate's own host). */
  notes: string[];
}

export type AddNodeDecision = { ok: true; plan: AddNodePlan } | { ok: false; reason: string };

/** The preview an operator sees before starting: what the check read on the node, and the planner's answer. */
export interface AddNodePreview {
  facts: CandidateFacts;
  decision: AddNodeDecision;
}

/** The candidate's facts as the target check (server/ops/checkTarget.ts) read them. */
export type CandidateFacts = TargetCheckResult;

type Member = Pick<
  SnapshotNode,
  'id' | 'addr' | 'connectAddr' | 'host' | 'role' | 'masterId' | 'flags' | 'slots' | 'reachable'
>;

/** Where the dashboard dials a member: the typed candidate address lives in the same space (natMap applied). */
const dialHost = (n: Member) => hostOf(n.connectAddr ?? n.addr);

const unhealthy = (n: Member) =>
  !n.reachable ||
  n.flags.some((f) => f === 'fail' || f === 'fail?' || f === 'pfail' || f === 'handshake' || f === 'noaddr');

/** The host part of "host:port" (IPv6 in brackets kept whole). */
export function hostOf(addr: string): string {
  const colon = addr.lastIndexOf(':');
  return colon < 0 ? addr : addr.slice(0, colon);
}

const lowestSlot = (n: Member) => (n.slots.length ? Math.min(...n.slots.map(([a]) => a)) : Number.POSITIVE_INFINITY);

/**
 * redis-cli --cluster add-node's checks (clusterManagerCommandAddNode, clusterManagerNodeIsEmpty): the new node must
 * answer, be cluster-enabled, hold no key and know no other node; a node that already is a member is refused too.
 * Each refusal says why, and the job sends nothing to the node beyond the checks.
 */
export function refusal(candidate: CandidateFacts, snapshot: ClusterSnapshot): string | undefined {
  const addr = candidate.addr;
  if (candidate.member || snapshot.nodes.some((n) => n.addr === addr || n.connectAddr === addr))
    return `${addr} is already a member of this cluster`;
  if (!candidate.reachable) return noAnswer(addr, candidate.error);
  if (candidate.clusterEnabled === false)
    return `${addr} is not cluster-enabled (cluster-enabled no): it cannot join a cluster`;
  if (candidate.nodeId && snapshot.nodes.some((n) => n.id === candidate.nodeId))
    return `${addr} has node id ${candidate.nodeId}, already a member of this cluster`;
  if (candidate.keys === undefined) return `${addr}: its key count could not be read; an unknown node is not added`;
  if (candidate.keys > 0)
    return `${addr} holds ${candidate.keys} key${candidate.keys === 1 ? '' : 's'}: only an empty node can be added (redis-cli: "is not empty")`;
  if (candidate.knownNodes !== 1) {
    const others = (candidate.knownNodes ?? 0) - 1;
    return others > 0
      ? `${addr} knows ${others} other node${others === 1 ? '' : 's'}: it already belongs to a cluster`
      : `${addr} did not report how many nodes it knows (CLUSTER INFO cluster_known_nodes)`;
  }
  if ((candidate.slotsAssigned ?? 0) > 0)
    return `${addr} has ${candidate.slotsAssigned} slots assigned in its cluster (cluster_slots_assigned): it already belongs to a cluster`;
  if (!candidate.nodeId) return `${addr} did not report its node id (CLUSTER MYID)`;
  if (candidate.passwordless)
    return `${addr} accepts connections without a password while this cluster uses one: its copy of the data would be open; set requirepass and masterauth on it first`;
  if (candidate.pollable === false)
    return `${addr} is outside this cluster's nodeNetworks: the dashboard would not poll it once it joined; add its network to nodeNetworks first`;
  return undefined;
}

/**
 * redis-cli add-node checks the cluster first (clusterManagerCheckCluster) and stops on disagreement, open slots or
 * uncovered slots: a node joining such a cluster never reaches cluster_state:ok and is left half-joined.
 */
export function clusterRefusal(snapshot: ClusterSnapshot): string | undefined {
  if (snapshot.status !== 'ok')
    return `the cluster reports cluster_state:${snapshot.status}: fix it before adding a node`;
  if (snapshot.summary.slotsCovered !== 16384)
    return `${16384 - snapshot.summary.slotsCovered} slots are not served: fix the cluster before adding a node`;
  const open = snapshot.nodes.filter((n) => n.migrating.length > 0 || n.importing.length > 0);
  if (open.length)
    return `slots are open (migrating/importing) on ${open.map((n) => n.addr).join(', ')}: finish or fix them first`;
  const views = new Set(snapshot.nodes.filter((n) => n.reachable && n.viewSignature).map((n) => n.viewSignature));
  if (views.size > 1) return 'the nodes disagree about the slot configuration: fix the cluster before adding a node';
  return undefined;
}

/**
 * The default master for a new replica: among healthy masters with slots, not on the new node's host, the one with
 * fewest replicas; ties by lowest slot, then id. Undefined when every such master shares the candidate's host.
 */
export function defaultMaster(nodes: readonly Member[], candidateAddr: string): Member | undefined {
  const host = hostOf(candidateAddr);
  const replicas = replicaCounts(nodes);
  return nodes
    .filter((n) => n.role === 'master' && !unhealthy(n) && n.slots.length > 0 && dialHost(n) !== host)
    .sort(
      (a, b) =>
        (replicas.get(a.id) ?? 0) - (replicas.get(b.id) ?? 0) ||
        lowestSlot(a) - lowestSlot(b) ||
        a.id.localeCompare(b.id),
    )[0];
}

function replicaCounts(nodes: readonly Member[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const n of nodes) {
    if (n.role === 'replica' && n.masterId && !unhealthy(n)) counts.set(n.masterId, (counts.get(n.masterId) ?? 0) + 1);
  }
  return counts;
}

/** The plan, or why not: candidate checks first, then the member to MEET through, then a replica's master. */
export function planAddNode(
  snapshot: ClusterSnapshot,
  candidate: CandidateFacts,
  input: AddNodeInput,
): AddNodeDecision {
  if (candidate.addr !== input.addr)
    return { ok: false, reason: `the check was for ${candidate.addr}, not ${input.addr}` };
  const refused = clusterRefusal(snapshot) ?? refusal(candidate, snapshot);
  if (refused) return { ok: false, reason: refused };
  const nodeId = candidate.nodeId ?? '';
  const via = snapshot.nodes
    .filter((n) => !unhealthy(n) && n.addr)
    .sort((a, b) => lowestSlot(a) - lowestSlot(b) || a.id.localeCompare(b.id))
    .find((n) => n.role === 'master');
  if (!via) return { ok: false, reason: 'no healthy reachable master to MEET through' };
  const meetVia = { id: via.id, addr: via.addr };
  const members = snapshot.nodes.filter((n) => n.reachable && n.id !== nodeId).map((n) => n.id);
  if (input.role === 'master') {
    if (input.masterId) return { ok: false, reason: 'masterId is only for role "replica"' };
    return { ok: true, plan: { addr: input.addr, nodeId, role: 'master', members, meetVia, notes: [] } };
  }
  const replicas = replicaCounts(snapshot.nodes);
  const host = hostOf(input.addr);
  let master: Member | undefined;
  const notes: string[] = [];
  if (input.masterId) {
    master = snapshot.nodes.find((n) => n.id === input.masterId);
    if (!master) return { ok: false, reason: `no node ${input.masterId} in this cluster` };
    if (master.role !== 'master') return { ok: false, reason: `${master.addr} (${master.id}) is not a master` };
    if (unhealthy(master)) return { ok: false, reason: `master ${master.addr} is unreachable or failing` };
    if (dialHost(master) === host)
      notes.push(`${input.addr} is on the same host as its master ${master.addr}: losing the host loses the shard`);
  } else {
    master = defaultMaster(snapshot.nodes, input.addr);
    if (!master)
      return {
        ok: false,
        reason: `every healthy master with slots is on ${host}, the new node's host: choose a master explicitly`,
      };
  }
  return {
    ok: true,
    plan: {
      addr: input.addr,
      nodeId,
      role: 'replica',
      members,
      meetVia,
      master: {
        id: master.id,
        addr: master.addr,
        replicas: replicas.get(master.id) ?? 0,
        sameHost: dialHost(master) === host,
      },
      notes,
    },
  };
}
