import { queryOptions } from '@tanstack/react-query';
import type { SlotHeatResponse } from '../cluster/slotHeat';
import { apiGet } from './api';

/** The server reads SLOT-STATS every 10 s (COUNTKEYSINSLOT sweeps take minutes): asking more often gains nothing. */
export const SLOT_HEAT_REFETCH_MS = 5000;

export const slotHeatQuery = (clusterId: string) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'slot-heat'] as const,
    queryFn: ({ signal }) =>
      apiGet<SlotHeatResponse>(`/api/clusters/${encodeURIComponent(clusterId)}/slots/heat`, signal),
    refetchInterval: SLOT_HEAT_REFETCH_MS,
    retry: false,
  });
