import { queryOptions } from '@tanstack/react-query';
import type { RebalanceRequest } from '../api/schemas';
import type { RebalancePreview } from '../jobs/rebalancePreview';
import { apiPost } from './mutate';

const clusterPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}`;

/** The preview of one request (POST, changes nothing): asked once per distinct request while the dialog shows it. */
export const rebalancePlanQuery = (clusterId: string, request: RebalanceRequest) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'rebalance-plan', JSON.stringify(request)] as const,
    queryFn: async () => {
      const preview = await apiPost<RebalancePreview>(`${clusterPath(clusterId)}/rebalance/plan`, request);
      if (!preview) throw new Error('the server sent no preview');
      return preview;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
    retry: false,
  });

/** The drain's preview: the plan its job runs. */
export const drainPlanQuery = (clusterId: string, nodeId: string, weights: Record<string, number>) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'rebalance-plan', String(`drain ${nodeId} ${JSON.stringify(weights)}`)] as const,
    queryFn: async () => {
      const preview = await apiPost<RebalancePreview>(`${clusterPath(clusterId)}/drain/plan`, { nodeId, weights });
      if (!preview) throw new Error('the server sent no preview');
      return preview;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
    retry: false,
  });

export function startRebalance(clusterId: string, request: RebalanceRequest, confirm: string) {
  return apiPost<{ jobId: string }>(`${clusterPath(clusterId)}/rebalance`, { ...request, confirm });
}

export function startDrain(
  clusterId: string,
  nodeId: string,
  weights: Record<string, number>,
  options: RebalanceRequest['options'],
  confirm: string,
) {
  return apiPost<{ jobId: string }>(`${clusterPath(clusterId)}/drain`, {
    nodeId,
    weights,
    ...(options ? { options } : {}),
    confirm,
  });
}
