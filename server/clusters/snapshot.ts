import 'server-only';
import type { ClusterSummary, SnapshotResponse } from '@/lib/api/types';
import { ApiError } from '../api/errors';
import { getPoller, listClusters as listConfigured } from '../collect/pollers';

export function listClusters(): ClusterSummary[] {
  return listConfigured();
}

/** The cached snapshot of one cluster; never polls Redis itself. */
export function latestSnapshot(clusterId: string, now = Date.now()): SnapshotResponse {
  const poller = getPoller(clusterId);
  if (!poller) throw new ApiError('not_found', `no cluster with id "${clusterId}"`);
  const snapshot = poller.latest;
  if (!snapshot)
    throw new ApiError('not_ready', 'the first poll of this cluster has not finished yet; retry in a second');
  return {
    ...snapshot,
    ageMs: Math.max(0, now - Date.parse(snapshot.collectedAt)),
    pollIntervalMs: poller.cluster.pollIntervalMs,
  };
}
