import 'server-only';
import type { SentinelSnapshotResponse } from '@/lib/api/types';
import type { Finding } from '@/lib/findings/types';
import { orderedSentinelFindings } from '@/lib/sentinel/findingsOrder';
import type { SentinelSnapshot } from '@/lib/sentinel/types';
import { type SentinelWallSnapshot, sentinelWallSnapshot } from '@/lib/sentinel/wall';
import { ApiError } from '../api/errors';
import { getSentinelPoller } from '../collect/pollers';
import type { SentinelPoller } from './poller';

// Findings once per poll, however many walls read it.
const findingsOf = new WeakMap<SentinelSnapshot, Finding[]>();

export function findingsFor(snapshot: SentinelSnapshot): Finding[] {
  let findings = findingsOf.get(snapshot);
  if (!findings) {
    findings = orderedSentinelFindings(snapshot);
    findingsOf.set(snapshot, findings);
  }
  return findings;
}

function cachedOr503(poller: SentinelPoller): SentinelSnapshot {
  const snapshot = poller.latest;
  if (!snapshot)
    throw new ApiError('not_ready', 'the first poll of this deployment has not finished yet; retry in a second');
  return snapshot;
}

export function sentinelWithAge(poller: SentinelPoller, now = Date.now()): SentinelSnapshotResponse {
  const snapshot = cachedOr503(poller);
  return {
    ...snapshot,
    ageMs: Math.max(0, now - Date.parse(snapshot.collectedAt)),
    pollIntervalMs: poller.deployment.pollIntervalMs,
  };
}

/** The deployment's poller, or undefined when `id` is not a Sentinel deployment. */
export function sentinelPoller(id: string): SentinelPoller | undefined {
  return getSentinelPoller(id);
}

/** GET /snapshot for a Sentinel deployment: whole, or as the wall shows it. */
export function sentinelInView(
  poller: SentinelPoller,
  view: 'full' | 'wall',
): SentinelSnapshotResponse | SentinelWallSnapshot {
  const aged = sentinelWithAge(poller);
  return view === 'wall' ? sentinelWallSnapshot(aged, findingsFor(cachedOr503(poller))) : aged;
}

/** GET /findings for a Sentinel deployment. */
export function sentinelFindingsOf(poller: SentinelPoller): Finding[] {
  return findingsFor(cachedOr503(poller));
}
