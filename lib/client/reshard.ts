import { queryOptions } from '@tanstack/react-query';
import type { ReshardPreview } from '../jobs/reshardPreview';
import type { ReshardRequest } from '../jobs/types';
import { apiPost } from './mutate';

const clusterPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}`;

/**
 * The preview of one request (POST, but it changes nothing): asked once per distinct request, kept while the dialog
 * shows it. Counting keys and sampling sizes costs the nodes something, so it is not polled; the dialog re-asks on demand.
 */
export const reshardPlanQuery = (clusterId: string, request: ReshardRequest) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'reshard-plan', JSON.stringify(request)] as const,
    queryFn: async () => {
      const preview = await apiPost<ReshardPreview>(`${clusterPath(clusterId)}/reshard/plan`, request);
      if (!preview) throw new Error('the server sent no preview');
      return preview;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
    retry: false,
  });

export function startReshard(clusterId: string, request: ReshardRequest, confirm: string) {
  return apiPost<{ jobId: string }>(`${clusterPath(clusterId)}/reshard`, { ...request, confirm });
}

/** Resume finishes the open slots and the rest of the plan; roll back returns the open slots to their source. */
export function actOnJob(jobId: string, action: 'resume' | 'rollback' | 'cancel') {
  return apiPost<{ jobId?: string; id?: string }>(`/api/jobs/${encodeURIComponent(jobId)}/${action}`);
}
