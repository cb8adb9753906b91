import 'server-only';
import type { SnapshotView } from '@/lib/api/schemas';
import type { ClusterSummary, SnapshotResponse } from '@/lib/api/types';
import type { WallSnapshot } from '@/lib/overview/wallSnapshot';
import { ApiError } from '../api/errors';
import { getPoller, listClusters as listConfigured } from '../collect/pollers';
import { inView, withAge } from './view';

export function listClusters(): ClusterSummary[] {
  return listConfigured();
}

function cachedOr503(clusterId: string) {
  const poller = getPoller(clusterId);
  if (!poller) throw new ApiError('not_found', `no cluster with id "${clusterId}"`);
  const snapshot = poller.latest;
  if (!snapshot)
    throw new ApiError('not_ready', 'the first poll of this cluster has not finished yet; retry in a second');
  return { snapshot, pollIntervalMs: poller.cluster.pollIntervalMs };
}

/** The cached snapshot of one cluster; never polls Redis itself. */
export function latestSnapshot(clusterId: string, now = Date.now()): SnapshotResponse {
  const { snapshot, pollIntervalMs } = cachedOr503(clusterId);
  return withAge(snapshot, pollIntervalMs, now);
}

/** The cached snapshot, whole or as the wall shows it (see viewOf). */
export function latestInView(clusterId: string, view: SnapshotView): SnapshotResponse | WallSnapshot {
  const { snapshot, pollIntervalMs } = cachedOr503(clusterId);
  return inView(snapshot, pollIntervalMs, view);
}
