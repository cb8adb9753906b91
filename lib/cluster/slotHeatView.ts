import { SLOT_COUNT } from '../redis/slots';
import {
  HEAT_UNITS,
  type HeatMetric,
  type HeatOwner,
  type HeatSource,
  HOT_SLOTS,
  type MetricHeat,
  topSlots,
} from './slotHeat';

/** What one master's reads gave, per metric: values of its slots and when they were read. */
export interface MasterHeatValues {
  owner: HeatOwner;
  source: HeatSource | null;
  metrics: Partial<Record<HeatMetric, { at: number; values: ReadonlyMap<number, number> }>>;
}

/**
 * One metric across the cluster from each master's values. Where two masters report a slot (their views disagree),
 * the owner in the reference view wins (`referenceOwner`).
 */
export function metricHeat(
  metric: HeatMetric,
  masters: readonly MasterHeatValues[],
  referenceOwner: (slot: number) => string | undefined,
  note?: string,
): MetricHeat {
  const values: Array<number | null> = new Array(SLOT_COUNT).fill(null);
  const owners: Array<HeatOwner | null> = new Array(SLOT_COUNT).fill(null);
  const sources = new Set<HeatSource>();
  let readAt: number | null = null;
  for (const master of masters) {
    const read = master.metrics[metric];
    if (!read) continue;
    if (master.source) sources.add(master.source);
    readAt = readAt === null ? read.at : Math.min(readAt, read.at);
    for (const [slot, value] of read.values) {
      if (owners[slot] && referenceOwner(slot) !== master.owner.id) continue;
      // Two decimals are plenty for a colour and a list, and keep the reply small.
      values[slot] = Math.round(value * 100) / 100;
      owners[slot] = master.owner;
    }
  }
  const top = topSlots(values, owners, HOT_SLOTS);
  let total = 0;
  for (const v of values) total += v ?? 0;
  return {
    metric,
    unit: HEAT_UNITS[metric],
    available: readAt !== null,
    ...(note ? { note } : {}),
    sources: [...sources].sort(),
    readAt,
    values,
    total,
    top,
  };
}
