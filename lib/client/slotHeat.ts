import { queryOptions } from '@tanstack/react-query';
import type { SlotHeatQuery, SlotHeatResponse } from '../cluster/slotHeat';
import { apiGet } from './api';

/** The server reads SLOT-STATS every 10 s (COUNTKEYSINSLOT sweeps take minutes): asking more often gains nothing. */
export const SLOT_HEAT_REFETCH_MS = 5000;

/** `values`: the one metric whose per-slot values the map shows ('none' in ownership mode: the toggle needs no more). */
export const slotHeatQuery = (clusterId: string, values: SlotHeatQuery['values']) =>
  queryOptions({
    queryKey: ['cluster', clusterId, 'slot-heat', values] as const,
    queryFn: ({ signal }) =>
      apiGet<SlotHeatResponse>(`/api/clusters/${encodeURIComponent(clusterId)}/slots/heat?values=${values}`, signal),
    refetchInterval: SLOT_HEAT_REFETCH_MS,
    retry: false,
  });
