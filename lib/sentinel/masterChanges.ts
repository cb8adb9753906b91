import type { SentinelSnapshot } from './types';

/** A change of the master the sentinels name, as the poller saw it (kept in memory, newest last). */
export interface MasterChange {
  from: string;
  to: string;
  /** ISO 8601: the poll that first saw the new master. */
  at: string;
  /** The guided failover job running (or just ended) on the deployment then; absent: the sentinels' own failover. */
  guidedJobId?: string;
}

/** A guided sentinel-failover job running on the deployment, as the poller attaches it to each snapshot. */
export interface GuidedFailoverRunning {
  jobId: string;
  startedAt: string;
}

/** Changes kept by the poller (in memory; a restart forgets them). */
export const MASTER_CHANGES_KEPT = 20;
/** How long the page shows the last change near the banner. */
export const MASTER_CHANGE_SHOWN_MS = 10 * 60_000;

/**
 * The master this poll names against the last one named (a poll naming none changes nothing): the change, if any,
 * and the master to compare the next poll with.
 */
export function trackMaster(
  last: string | undefined,
  snapshot: SentinelSnapshot,
  guidedJobId?: string,
): { last: string | undefined; change?: MasterChange } {
  const now = snapshot.master?.addr;
  if (!now) return { last };
  if (!last || last === now) return { last: now };
  return {
    last: now,
    change: { from: last, to: now, at: snapshot.collectedAt, ...(guidedJobId ? { guidedJobId } : {}) },
  };
}

/** "the master changed from A to B at 12:00:02 (the sentinels' own failover)". */
export function masterChangeSentence(change: MasterChange, clock: (iso: string) => string): string {
  return `the master changed from ${change.from} to ${change.to} at ${clock(change.at)} (${change.guidedJobId ? 'the guided failover' : 'the sentinels’ own failover'})`;
}

/** The newest change within `windowMs` of now, for the note near the banner. */
export function recentMasterChange(
  changes: readonly MasterChange[] | undefined,
  nowMs: number,
  windowMs = MASTER_CHANGE_SHOWN_MS,
): MasterChange | undefined {
  const last = changes?.at(-1);
  return last && nowMs - Date.parse(last.at) <= windowMs ? last : undefined;
}

/**
 * Whether a finished failover's result still holds: the master changed again after it ended, the sentinels name
 * another one, or its new master is down now. `since` says what changed ("since then …"); undefined: it holds.
 */
export function failoverResultSince(
  result: { newMaster: string; endedAt: string },
  snapshot: SentinelSnapshot,
  clock: (iso: string) => string,
): string | undefined {
  const ended = Date.parse(result.endedAt);
  const later = (snapshot.masterChanges ?? []).filter((c) => Date.parse(c.at) > ended).at(-1);
  if (later) return `since then ${masterChangeSentence(later, clock)}`;
  const master = snapshot.master;
  if (master && master.addr !== result.newMaster) return `since then the sentinels name ${master.addr} as master`;
  const node = master?.addr === result.newMaster ? master : snapshot.replicas.find((r) => r.addr === result.newMaster);
  if (node && (node.sentinelFlags.includes('s_down') || node.sentinelFlags.includes('o_down')))
    return `since then ${result.newMaster} is down (${node.sentinelFlags.join(', ')})`;
  return undefined;
}
