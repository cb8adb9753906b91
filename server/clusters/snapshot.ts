import 'server-only';
import type { SnapshotView } from '@/lib/api/schemas';
import type { ClusterSummary, SentinelSnapshotResponse, SnapshotResponse } from '@/lib/api/types';
import { evaluateFindings } from '@/lib/findings';
import type { Finding } from '@/lib/findings/types';
import type { WallSnapshot } from '@/lib/overview/wallSnapshot';
import type { SentinelWallSnapshot } from '@/lib/sentinel/wall';
import { ApiError } from '../api/errors';
import { getPoller, listDeployments } from '../collect/pollers';
import { sentinelFindingsOf, sentinelInView, sentinelPoller } from '../sentinel/api';
import { SentinelDeploymentError } from '../sentinel/errors';
import { inView, withAge } from './view';

/** Every configured entry with its kind: the clusters, then the Sentinel deployments. */
export function listClusters(): ClusterSummary[] {
  return listDeployments();
}

function cachedOr503(clusterId: string) {
  const poller = getPoller(clusterId);
  if (!poller) {
    if (sentinelPoller(clusterId)) throw new SentinelDeploymentError(clusterId);
    throw new ApiError('not_found', `no cluster with id "${clusterId}"`);
  }
  const snapshot = poller.latest;
  if (!snapshot)
    throw new ApiError('not_ready', 'the first poll of this cluster has not finished yet; retry in a second');
  return { snapshot, pollIntervalMs: poller.cluster.pollIntervalMs };
}

/** The cached snapshot of one cluster; never polls Redis itself. A Sentinel deployment's id is refused (400). */
export function latestSnapshot(clusterId: string, now = Date.now()): SnapshotResponse {
  const { snapshot, pollIntervalMs } = cachedOr503(clusterId);
  return withAge(snapshot, pollIntervalMs, now);
}

/** The cached snapshot of a cluster or a Sentinel deployment, whole or as the wall shows it (see viewOf). */
export function latestInView(
  clusterId: string,
  view: SnapshotView,
): SnapshotResponse | WallSnapshot | SentinelSnapshotResponse | SentinelWallSnapshot {
  const sentinel = sentinelPoller(clusterId);
  if (sentinel) return sentinelInView(sentinel, view);
  const { snapshot, pollIntervalMs } = cachedOr503(clusterId);
  return inView(snapshot, pollIntervalMs, view);
}

/** GET /findings: a cluster's (evaluateFindings) or a Sentinel deployment's (sentinelFindings). */
export function latestFindings(clusterId: string): Finding[] {
  const sentinel = sentinelPoller(clusterId);
  if (sentinel) return sentinelFindingsOf(sentinel);
  return evaluateFindings(latestSnapshot(clusterId));
}
