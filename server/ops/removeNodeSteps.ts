import 'server-only';
import { forgetBlockers, forgetTargets } from '@/lib/plan/forgetCheck';
import type { NodeRef } from '@/lib/plan/removeNode';
import { parseInfo } from '@/lib/redis/info';
import type { JobConnections } from './jobConnections';
import { type NodeReply, send, until } from './nodeCommands';

/**
 * A replica's sync to its new master may go this long without progress (a full sync reading bytes, or loading the
 * RDB, counts as progress and starts it again).
 */
export const REHOME_LINK_MS = 60_000;
/** How long after the FORGETs went out the job keeps checking views and re-sending FORGET: well inside the 60 s ban. */
export const FORGET_VERIFY_MS = 40_000;
/** How long the own views may take to agree that nothing blocks the FORGET (gossip after a re-home) before it aborts. */
export const FORGET_GUARD_MS = 5_000;

/** A FORGET of a node this one no longer knows (gossip of the ban list, 7.2+) is what FORGET wanted. */
const forgotten = (r: NodeReply) => r.ok || /unknown node/i.test(r.error);

type Rehome = { replica: NodeRef; master: NodeRef };

/** CLUSTER REPLICATE <master> on the replica; a refusal throws with the node's reason. */
export async function replicate(conns: JobConnections, secrets: readonly string[], step: Rehome): Promise<void> {
  const reply = await send(conns, step.replica.id, secrets, 'CLUSTER', 'REPLICATE', step.master.id);
  if (!reply.ok) throw new Error(`${step.replica.addr} refused CLUSTER REPLICATE: ${reply.error}`);
}

/**
 * Until the replica's own view names the new master and its master_link_status is up. A full sync that keeps reading
 * bytes (or a replica loading the RDB) is waited for: it fails only after REHOME_LINK_MS without progress.
 */
export async function awaitLink(conns: JobConnections, signal: AbortSignal, step: Rehome): Promise<string> {
  const { replica, master } = step;
  let read = '';
  let lastRead = '';
  await until(
    signal,
    REHOME_LINK_MS,
    async () => {
      const own = (await conns.view(replica.id))?.find((l) => l.myself);
      if (own?.masterId !== master.id)
        return `${replica.addr}'s own view does not name ${master.addr} as its master yet`;
      const text = await conns.ask(replica.id, 'INFO', 'replication', 'persistence');
      const fields = typeof text === 'string' ? parseInfo(text).fields : {};
      const status = fields.master_link_status;
      if (status === 'up') return true;
      read = `${fields.master_sync_read_bytes ?? ''}/${fields.loading_loaded_bytes ?? ''}/${fields.slave_repl_offset ?? ''}`;
      if (fields.loading === '1')
        return `${replica.addr} is loading the RDB (${fields.loading_loaded_bytes ?? 0} bytes)`;
      return fields.master_sync_in_progress === '1'
        ? `${replica.addr}: full sync in progress (${fields.master_sync_read_bytes ?? 0} bytes read)`
        : `${replica.addr}: master_link_status:${status ?? 'no answer'}`;
    },
    () => {
      const moved = read !== lastRead && read !== '//';
      lastRead = read;
      return moved;
    },
  );
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
  /** The nodes told to FORGET, from the own views read right before. */
  nodes: NodeRef[];
  took: NodeRef[];
  refused: Array<NodeRef & { error: string }>;
}

/** Why a node did not take the FORGET, said so that the operator knows the removal is not complete there. */
export const incompleteThere = (n: NodeRef & { error: string }) =>
  `${n.addr || n.id} did not take the FORGET (${n.error}): the removal is incomplete there, it still knows the node; FORGET it there (within 60 s of the others, or again on all) once it answers`;

/**
 * Right before FORGET: every node's own CLUSTER NODES (not the poller's snapshot) must agree that nothing blocks it
 * (lib/plan/forgetCheck.ts: a replica of it, slots it owns, a slot open towards it, a failover since the plan); a
 * blocker that is still there after FORGET_GUARD_MS aborts with nothing forgotten. The FORGET list is built from the
 * same read: every node an answering node lists, out of handshake and with an address.
 */
export async function checkedForgetTargets(
  conns: JobConnections,
  signal: AbortSignal,
  nodeId: string,
  planned: NodeRef[],
): Promise<NodeRef[]> {
  const ids = [...new Set([nodeId, ...planned.map((n) => n.id)])];
  let blockers: string[] = [];
  const refuse = (why: string) => new Error(`refused before FORGET, nothing was forgotten: ${why}`);
  const views = await until(signal, FORGET_GUARD_MS, async () => {
    const read = await conns.views(ids);
    if (read.size === 0 || (read.size === 1 && read.has(nodeId))) return 'no other node answers';
    const found = forgetBlockers(read, nodeId);
    blockers = found.map((b) => b.reason);
    // What a node says of itself is not waited out; what it says of others may be gossip still on its way.
    if (found.some((b) => b.firm)) throw refuse(blockers.join('; '));
    return blockers.length ? blockers.join('; ') : read;
  }).catch((err: unknown) => {
    if ((err as Error).message.startsWith('refused before FORGET')) throw err;
    throw refuse(blockers.length ? blockers.join('; ') : (err as Error).message);
  });
  return forgetTargets(views, nodeId);
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
    nodes,
    took: replies.filter(([, r]) => forgotten(r)).map(([n]) => n),
    refused: replies.flatMap(([n, r]) => (r.ok || forgotten(r) ? [] : [{ ...n, error: r.error }])),
  };
}

/**
 * Until no answering node's own CLUSTER NODES lists the removed id. Within the ban window (FORGET_VERIFY_MS from the
 * FORGETs) FORGET is sent again where it is listed again (gossip from a node that had not forgotten it yet) and, on
 * each look, to every node that has not taken it yet (silent or refusing). It returns as soon as no answering node
 * lists it: re-adding by gossip after the 60 s ban (from a node that never took the FORGET) is not watched.
 */
export async function verifyForgotten(
  conns: JobConnections,
  secrets: readonly string[],
  signal: AbortSignal,
  nodeId: string,
  outcome: ForgetOutcome,
): Promise<{ reforgotten: number; pending: Array<NodeRef & { error: string }> }> {
  let reforgotten = 0;
  const pending = new Map(outcome.refused.map((n) => [n.id, n]));
  const window = Math.max(1000, outcome.at + FORGET_VERIFY_MS - Date.now());
  await until(signal, window, async () => {
    const views = await conns.views(outcome.nodes.map((n) => n.id));
    const listing = outcome.nodes.filter((n) => views.get(n.id)?.some((l) => l.id === nodeId));
    const again = [...new Map([...listing, ...pending.values()].map((n) => [n.id, n])).values()];
    const replies = await Promise.all(
      again.map(async (n) => [n, await send(conns, n.id, secrets, 'CLUSTER', 'FORGET', nodeId)] as const),
    );
    for (const [n, r] of replies) {
      if (forgotten(r)) {
        if (!pending.delete(n.id)) reforgotten += 1;
      } else if (!r.ok) pending.set(n.id, { ...n, error: r.error });
    }
    if (listing.length) return `still listed by ${listing.map((n) => n.addr).join(', ')}`;
    return views.size > 0 ? true : 'no node answers';
  });
  return { reforgotten, pending: [...pending.values()] };
}

/**
 * CLUSTER RESET SOFT on the removed node, then its own view lists only itself. A view that still lists others after
 * 10 s is reported (`lingering`), not a failure: the FORGETs are done by then.
 */
export async function resetRemoved(
  conns: JobConnections,
  secrets: readonly string[],
  signal: AbortSignal,
  nodeId: string,
): Promise<{ ok: true; lingering?: string } | { ok: false; error: string }> {
  const reply = await send(conns, nodeId, secrets, 'CLUSTER', 'RESET', 'SOFT');
  if (!reply.ok) return reply;
  return until(signal, 10_000, async () => {
    const view = await conns.view(nodeId);
    if (view && view.length === 1 && view[0]?.id === nodeId) return { ok: true as const };
    return `its own view still lists ${view ? view.length - 1 : 'unknown'} other nodes`;
  }).catch((err: unknown) => ({
    ok: true as const,
    lingering: `CLUSTER RESET SOFT answered OK but ${(err as Error).message}`,
  }));
}
