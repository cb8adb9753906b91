import 'server-only';
import { ApiError } from '../api/errors';
import type { ClusterPoller } from '../collect/poller';
import { getPoller } from '../collect/pollers';

export function pollerOr404(clusterId: string): ClusterPoller {
  const poller = getPoller(clusterId);
  if (!poller) throw new ApiError('not_found', `no cluster with id "${clusterId}"`);
  return poller;
}

export function memberOr404(clusterId: string, nodeId: string) {
  const member = pollerOr404(clusterId).member(nodeId);
  if (!member) throw new ApiError('not_found', `no node ${nodeId.slice(0, 40)} in cluster "${clusterId}"`);
  return member;
}
