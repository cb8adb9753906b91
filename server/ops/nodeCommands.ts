import 'server-only';
import { describeNodeError } from '../collect/errors';
import type { JobConnections } from './jobConnections';

const POLL_MS = 100;

export type NodeReply = { ok: true; reply: string } | { ok: false; error: string };

/** A mutation to one exact node, never retried; the reply or why there was none (secrets kept out). */
export async function send(
  conns: JobConnections,
  nodeId: string,
  secrets: readonly string[],
  ...args: string[]
): Promise<NodeReply> {
  const connection = conns.get(nodeId);
  if (!connection) return { ok: false, error: 'no address, or outside nodeNetworks: not contacted' };
  try {
    await connection.ready(2000);
    return { ok: true, reply: String(await connection.call(args[0] ?? '', ...args.slice(1))) };
  } catch (err) {
    return { ok: false, error: describeNodeError(err, secrets) };
  }
}

/**
 * Polls `probe` until it returns a value (not a string), or fails with its last reason once `ms` have passed with no
 * progress: each poll where `progressed()` says the work moved on (a full sync reading bytes) starts the `ms` again.
 */
export async function until<T>(
  signal: AbortSignal,
  ms: number,
  probe: () => Promise<T | string>,
  progressed?: () => boolean,
): Promise<T> {
  let deadline = Date.now() + ms;
  let last = 'not asked yet';
  while (Date.now() < deadline) {
    if (signal.aborted) throw new Error('cancelled');
    const out = await probe();
    if (typeof out !== 'string') return out;
    last = out;
    if (progressed?.()) deadline = Date.now() + ms;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`${progressed ? 'no progress' : 'not'} within ${Math.round(ms / 1000)} s: ${last}`);
}
