import type { SnapshotResponse } from '../api/types';
import type { Finding } from '../findings/types';
import { type ClusterGlance, clusterGlance } from './glance';

/**
 * What a wall tile and an overview card show of one cluster, and all a kiosk session ever gets of it: health and the
 * worst finding's headline, counts, shard states, memory %, ops/s and how fresh it is. No node detail beyond the shard
 * strip, no findings' messages, no jobs, no key names, no user names.
 */
export interface WallSnapshot extends ClusterGlance {
  clusterId: string;
  clusterName: string;
  /** ISO 8601, when the poll behind it started. */
  collectedAt: string;
  /** collectedAt -> the moment this was sent. */
  ageMs: number;
  pollIntervalMs: number;
}

/** Built field by field (never a spread of the snapshot), so a field added to the snapshot stays out of it. */
export function wallSnapshot(snapshot: SnapshotResponse, findings: readonly Finding[]): WallSnapshot {
  const { health, detail, nodesUp, nodesKnown, nodesNotPolled, masters, memory, opsPerSec, shards } = clusterGlance(
    snapshot,
    findings,
  );
  return {
    clusterId: snapshot.clusterId,
    clusterName: snapshot.clusterName,
    collectedAt: snapshot.collectedAt,
    ageMs: snapshot.ageMs,
    pollIntervalMs: snapshot.pollIntervalMs,
    health,
    detail,
    nodesUp,
    nodesKnown,
    nodesNotPolled,
    masters,
    ...(memory ? { memory } : {}),
    opsPerSec,
    shards,
  };
}
