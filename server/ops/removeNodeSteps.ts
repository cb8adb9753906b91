import 'server-only';
import type { NodeRef } from '@/lib/plan/removeNode';
import { parseInfo } from '@/lib/redis/info';
import type { JobConnections } from './jobConnections';
import { type NodeReply, send, until } from './nodeCommands';

/** A replica's first sync to its new master; the watch for gossip bringing a forgotten node back. */
export const REHOME_LINK_MS = 60_000;
/** Well inside the 60 s ban list that CLUSTER FORGET starts on each node. */
export const FORGET_VERIFY_MS = 40_000;

/** A FORGET of a node this one no longer knows (gossip of the ban list, 7.2+) is what FORGET wanted. */
const forgotten = (r: NodeReply) => r.ok || /unknown node/i.test(r.error);

type Rehome = { replica: NodeRef; master: NodeRef };

/** CLUSTER REPLICATE <master> on the replica; a refusal throws with the node's reason. */
export async function replicate(conns: JobConnections, secrets: readonly string[], step: Rehome): Promise<void> {
  const reply = await send(conns, step.replica.id, secrets, 'CLUSTER', 'REPLICATE', step.master.id);
  if (!reply.ok) throw new Error(`${step.replica.addr} refused CLUSTER REPLICATE: ${reply.error}`);
}

/** Until the replica's own view names the new master and its master_link_status is up. */
export async function awaitLink(conns: JobConnections, signal: AbortSignal, step: Rehome): Promise<string> {
  const { replica, master } = step;
  await until(signal, REHOME_LINK_MS, async () => {
    const own = (await conns.view(replica.id))?.find((l) => l.myself);
    if (own?.masterId !== master.id) return `${replica.addr}'s own view does not name ${master.addr} as its master yet`;
    const text = await conns.ask(replica.id, 'INFO', 'replication');
    const status = typeof text === 'string' ? parseInfo(text).fields.master_link_status : undefined;
    return status === 'up' ? true : `${replica.addr}: master_link_status:${status ?? 'no answer'}`;
  });
  return `${replica.addr} replicates ${master.addr}, master_link_status:up`;
}

export async function rehome(
  conns: JobConnections,
  secrets: readonly string[],
  signal: AbortSignal,
  step: Rehome,
): Promise<string> {
  await replicate(conns, secrets, step);
  return awaitLink(conns, signal, step);
}

export interface ForgetOutcome {
  /** When the FORGETs went out: each node's ban on the removed id runs 60 s from here. */
  at: number;
  took: NodeRef[];
  refused: Array<NodeRef & { error: string }>;
}

/** CLUSTER FORGET on every listed node at once (one ban window for all), each reply noted. */
export async function forgetAll(
  conns: JobConnections,
  secrets: readonly string[],
  nodeId: string,
  nodes: NodeRef[],
): Promise<ForgetOutcome> {
  const at = Date.now();
  const replies = await Promise.all(
    nodes.map(async (n) => [n, await send(conns, n.id, secrets, 'CLUSTER', 'FORGET', nodeId)] as const),
  );
  return {
    at,
    took: replies.filter(([, r]) => forgotten(r)).map(([n]) => n),
    refused: replies.flatMap(([n, r]) => (forgotten(r) || r.ok ? [] : [{ ...n, error: r.error }])),
  };
}

/**
 * Until no answering node's own CLUSTER NODES lists the removed id: where it is listed again (gossip from a node that
 * had not forgotten it yet), FORGET again, within the ban window. Nodes that never answer are returned, named.
 */
export async function verifyForgotten(
  conns: JobConnections,
  secrets: readonly string[],
  signal: AbortSignal,
  nodeId: string,
  nodes: NodeRef[],
): Promise<{ reforgotten: number; silent: Array<NodeRef & { error: string }> }> {
  let reforgotten = 0;
  await until(signal, FORGET_VERIFY_MS, async () => {
    const views = await conns.views(nodes.map((n) => n.id));
    const listing = nodes.filter((n) => views.get(n.id)?.some((l) => l.id === nodeId));
    const again = await Promise.all(listing.map((n) => send(conns, n.id, secrets, 'CLUSTER', 'FORGET', nodeId)));
    reforgotten += again.filter((r) => r.ok).length;
    if (listing.length) return `still listed by ${listing.map((n) => n.addr).join(', ')}`;
    return views.size > 0 ? true : 'no node answers';
  });
  const views = await conns.views(nodes.map((n) => n.id));
  const silent = nodes
    .filter((n) => !views.has(n.id))
    .map((n) => ({ ...n, error: conns.errorOf(n.id) ?? 'does not answer' }));
  return { reforgotten, silent };
}

/** CLUSTER RESET SOFT on the removed node, then its own view lists only itself. */
export async function resetRemoved(
  conns: JobConnections,
  secrets: readonly string[],
  signal: AbortSignal,
  nodeId: string,
): Promise<NodeReply> {
  const reply = await send(conns, nodeId, secrets, 'CLUSTER', 'RESET', 'SOFT');
  if (!reply.ok) return reply;
  await until(signal, 10_000, async () => {
    const view = await conns.view(nodeId);
    return view && view.length === 1 && view[0]?.id === nodeId ? true : 'it still lists other nodes';
  });
  return reply;
}
