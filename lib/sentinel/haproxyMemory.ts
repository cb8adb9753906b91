import type { HaproxyServer, HaproxyView } from './types';

/** What the poller remembers of HAProxy between polls: the last good read, and since when reads fail. */
export interface HaproxyMemory {
  lastOkAt?: string;
  lastServers?: HaproxyServer[];
  failingSince?: string;
}

/**
 * This poll's HAProxy view with what earlier polls saw: a read that fails after one succeeded carries lastOkAt,
 * failingSince (the first failed poll) and the servers as last read, so "HAProxy stopped answering" can be told from
 * "never configured right". Pure: the poller keeps the returned memory for the next poll.
 */
export function rememberHaproxy(
  view: HaproxyView | undefined,
  collectedAt: string,
  memory: HaproxyMemory,
): { view: HaproxyView | undefined; memory: HaproxyMemory } {
  if (!view) return { view, memory: {} };
  if (view.reachable) {
    return { view: { ...view, lastOkAt: collectedAt }, memory: { lastOkAt: collectedAt, lastServers: view.servers } };
  }
  if (!memory.lastOkAt) return { view, memory };
  const failingSince = memory.failingSince ?? collectedAt;
  return {
    view: {
      ...view,
      lastOkAt: memory.lastOkAt,
      failingSince,
      ...(memory.lastServers ? { lastServers: memory.lastServers } : {}),
    },
    memory: { ...memory, failingSince },
  };
}

/** "ECONNREFUSED" / "ENOENT" / "timed out" out of a read error, else the error itself, short. */
export function haproxyErrorReason(error: string | undefined): string {
  if (!error) return 'no answer';
  const code = /\bE[A-Z]{3,}\b/.exec(error)?.[0];
  if (code) return code;
  if (/within \d+ ms|timed? ?out|aborted/i.test(error)) return 'timed out';
  return error.length > 80 ? `${error.slice(0, 79)}…` : error;
}

/** hh:mm:ss UTC of an ISO time: the same on the server and in any browser (findings are computed in both). */
export function utcClock(iso: string): string {
  return `${iso.slice(11, 19)} UTC`;
}
