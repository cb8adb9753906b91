import { queryOptions } from '@tanstack/react-query';
import type { FixPreview } from '../jobs/fixPreview';
import { apiPost } from './mutate';

const clusterPath = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}`;
type FixRequest = { withUnreachableMasters?: boolean };

/** The fix's plan (POST, changes nothing): read once per dialog and request, again on demand. */
export const fixPlanQuery = (clusterId: string, request: FixRequest) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'fix-plan', JSON.stringify(request)] as const,
    queryFn: async () => {
      const preview = await apiPost<FixPreview>(`${clusterPath(clusterId)}/fix/plan`, request);
      if (!preview) throw new Error('the server sent no plan');
      return preview;
    },
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 0,
    retry: false,
  });

export function startFix(clusterId: string, request: FixRequest, confirm: string) {
  return apiPost<{ jobId: string }>(`${clusterPath(clusterId)}/fix`, { ...request, confirm });
}
