import 'server-only';
import { ApiError } from '../api/errors';
import type { ClusterPoller } from '../collect/poller';
import { getPoller, getSentinelPoller } from '../collect/pollers';
import { SentinelDeploymentError } from '../sentinel/errors';

export function pollerOr404(clusterId: string): ClusterPoller {
  const poller = getPoller(clusterId);
  if (!poller) {
    // Every cluster-only route looks its poller up here: a Sentinel deployment's id gets a clear refusal.
    if (getSentinelPoller(clusterId)) throw new SentinelDeploymentError(clusterId);
    throw new ApiError('not_found', `no cluster with id "${clusterId}"`);
  }
  return poller;
}

export function memberOr404(clusterId: string, nodeId: string) {
  const member = pollerOr404(clusterId).member(nodeId);
  if (!member) throw new ApiError('not_found', `no node ${nodeId.slice(0, 40)} in cluster "${clusterId}"`);
  return member;
}
