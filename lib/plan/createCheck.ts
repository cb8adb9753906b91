import type { TargetCheckResult } from '../api/types';
import { unreachableKind } from '../cluster/reachability';
import type { CreateLayoutPlan } from './createLayout';

/**
 * Why a node cannot be one of a new cluster's nodes (redis-cli --cluster create: clusterManagerNodeIsCluster,
 * clusterManagerNodeIsEmpty), in the words add-node uses; undefined when it can. Every reason names the node.
 */
export function createNodeRefusal(node: TargetCheckResult): string | undefined {
  const addr = node.addr;
  if (!node.reachable) return noAnswer(addr, node.error);
  if (node.clusterEnabled === false) return `${addr} is not cluster-enabled (cluster-enabled no)`;
  if (node.keys === undefined) return `${addr}: its key count could not be read; an unknown node is not used`;
  if (node.keys > 0)
    return `${addr} holds ${node.keys} key${node.keys === 1 ? '' : 's'}: only an empty node can be used (redis-cli: "is not empty")`;
  if ((node.knownNodes ?? 0) > 1)
    return `${addr} knows ${(node.knownNodes ?? 0) - 1} other node${node.knownNodes === 2 ? '' : 's'}: it already belongs to a cluster`;
  if ((node.slotsAssigned ?? 0) > 0) return `${addr} has ${node.slotsAssigned} slots assigned`;
  if ((node.configEpoch ?? 0) > 0)
    return `${addr} has config epoch ${node.configEpoch}: run CLUSTER RESET HARD on it first (SET-CONFIG-EPOCH refuses a node whose epoch is non-zero; RESET SOFT keeps it)`;
  if ((node.currentEpoch ?? 0) > 0)
    return `${addr} has current epoch ${node.currentEpoch}: run CLUSTER RESET HARD on it first (RESET SOFT keeps the epoch of the cluster it left)`;
  if (node.passwordless)
    return `${addr} accepts connections without a password while the new cluster uses one: set its requirepass first`;
  if (!node.nodeId) return `${addr} did not report its node id (CLUSTER MYID)`;
  return undefined;
}

/**
 * A node that gave no usable answer, in words that fit why: one that answers NOAUTH does answer, it wants a password
 * (and one that answers WRONGPASS refuses the login given); only the others "do not answer".
 */
export function noAnswer(addr: string, error: string | undefined): string {
  const text = error ?? 'unreachable';
  if (/NOAUTH|authentication required/i.test(text)) return `${addr} asks for a password (NOAUTH): ${text}`;
  if (unreachableKind(text) === 'auth') return `${addr} refuses the login given (WRONGPASS): ${text}`;
  return `${addr} does not answer: ${text}`;
}

const wantsPassword = (n: TargetCheckResult) => !n.reachable && /NOAUTH|authentication required/i.test(n.error ?? '');

/** What the page can tell the operator about the nodes a create job of this dashboard made (by node id). */
export interface CreateRefusalContext {
  /** The login the operator can pick instead ("same as Production (prod)"), when none was given. */
  loginHint?: string;
  /** Create-cluster jobs of this dashboard and the node ids they used: a node of theirs knowing others is their cluster. */
  createdBy?: ReadonlyArray<{ jobId: string; at: string; nodeIds: readonly string[] }>;
}

/**
 * Every node's refusal, plus two addresses that reach the same node (same node id). Nodes that want a password are
 * one line (the fix is one choice on the form); a node of a cluster one of our create jobs made says so.
 */
export function createNodesRefusals(nodes: readonly TargetCheckResult[], context: CreateRefusalContext = {}): string[] {
  const locked = nodes.filter(wantsPassword);
  const refusals: string[] = [];
  if (locked.length > 0) {
    const choice = context.loginHint
      ? `choose '${context.loginHint}' or type one under 'Login on the new nodes'`
      : "choose a configured cluster's login or type one under 'Login on the new nodes'";
    refusals.push(
      `${locked.length} node${locked.length === 1 ? ' wants' : 's want'} a password (NOAUTH: ${locked.map((n) => n.addr).join(', ')}): ${choice}`,
    );
  }
  for (const node of nodes) {
    if (wantsPassword(node)) continue;
    const refusal = createNodeRefusal(node);
    if (!refusal) continue;
    const made =
      (node.knownNodes ?? 0) > 1 && node.nodeId
        ? context.createdBy?.find((j) => node.nodeId && j.nodeIds.includes(node.nodeId))
        : undefined;
    refusals.push(
      made
        ? `${refusal}: the cluster create job ${made.jobId} made (${made.at}); it is shown at the top of this page, with "Add to dashboard"`
        : refusal,
    );
  }
  const addrById = new Map<string, string>();
  for (const node of nodes) {
    if (!node.nodeId) continue;
    const other = addrById.get(node.nodeId);
    if (other) refusals.push(`${other} and ${node.addr} are the same node (node id ${node.nodeId})`);
    else addrById.set(node.nodeId, node.addr);
  }
  return refusals;
}

/** Nodes whose id differs from the preview's (restarted with a new nodes.conf, or another node on that address). */
export function changedSincePreview(
  nodes: readonly TargetCheckResult[],
  previewIds: Readonly<Record<string, string>>,
): string[] {
  return nodes.flatMap((n) =>
    previewIds[n.addr] === n.nodeId
      ? []
      : [`${n.addr} is node ${n.nodeId ?? '(unknown)'} now, not ${previewIds[n.addr] ?? '(not in the preview)'}`],
  );
}

function hostOf(addr: string): string {
  return addr.slice(0, addr.lastIndexOf(':'));
}

/** The warnings redis-cli prints after placing replicas, with the nodes concerned; none for a perfect layout. */
export function layoutWarnings(plan: CreateLayoutPlan): string[] {
  const warnings: string[] = [];
  const sameHost = plan.replicas.filter((r) => hostOf(r.master) === r.host);
  if (sameHost.length)
    warnings.push(
      `Some replicas are in the same host as their master: ${sameHost.map((r) => `${r.addr} (master ${r.master})`).join(', ')}`,
    );
  const groups = new Map<string, string[]>();
  for (const r of plan.replicas) {
    const key = `${r.host} ${r.master}`;
    groups.set(key, [...(groups.get(key) ?? []), r.addr]);
  }
  const shared = [...groups.values()].filter((g) => g.length > 1);
  if (shared.length)
    warnings.push(
      `Some replicas of the same master are in the same host: ${shared.map((g) => g.join(' and ')).join('; ')}`,
    );
  if (plan.unassigned.length)
    warnings.push(
      `${plan.unassigned.join(', ')} join${plan.unassigned.length === 1 ? 's' : ''} as master${plan.unassigned.length === 1 ? '' : 's'} without slots (more nodes than masters × (replicas + 1) can use)`,
    );
  return warnings;
}
