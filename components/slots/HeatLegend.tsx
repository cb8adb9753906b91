import { formatHeat, HEAT_STOPS, HEAT_UNKNOWN_RGB } from '@/lib/cluster/heatScale';
import type { HeatMetric, MetricHeat, SlotHeatResponse } from '@/lib/cluster/slotHeat';
import { formatClock } from '@/lib/format';

const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const at = (ms: number | null) => (ms === null ? 'not read yet' : `last at ${formatClock(new Date(ms))}`);

/** Where the values came from, in the operator's words: the command, how often, and when last. */
export function heatSourceText(heat: SlotHeatResponse, metric: HeatMetric): string {
  const view = heat.metrics[metric];
  const { sampling } = heat;
  const parts: string[] = [];
  if (metric !== 'keys')
    return `rate between two CLUSTER SLOT-STATS reads ${seconds(sampling.slotStatsMs)} apart (Valkey, cluster-slot-stats-enabled), ${at(view.readAt)}`;
  if (view.sources.includes('slot-stats'))
    parts.push(`from CLUSTER SLOT-STATS on Valkey every ${seconds(sampling.slotStatsMs)}`);
  if (view.sources.includes('countkeysinslot'))
    parts.push(
      `sampled with COUNTKEYSINSLOT every ${minutes(sampling.countKeysMs)} (at most ${sampling.countKeysPerSecond} slots/s per master)`,
    );
  if (parts.length === 0) parts.push('not read yet');
  return `${parts.join('; ')}, ${at(view.readAt)}`;
}

export function HeatLegend({ heat, view, max }: { heat: SlotHeatResponse; view: MetricHeat; max: number }) {
  return (
    <div className="space-y-1 text-sm" data-testid="heat-legend">
      <div className="flex flex-wrap items-center gap-3">
        <span className="text-muted">0</span>
        <span
          className="inline-block h-3 w-40 rounded-sm"
          style={{ background: `linear-gradient(90deg, ${HEAT_STOPS.join(', ')})` }}
          aria-hidden="true"
        />
        <span>{formatHeat(view.metric, max)} (log scale)</span>
        <span className="flex items-center gap-1 text-muted">
          <span
            className="inline-block h-3 w-3 rounded-sm"
            style={{ background: `rgb(${HEAT_UNKNOWN_RGB.join(',')})` }}
            aria-hidden="true"
          />
          not read
        </span>
      </div>
      <p className="text-muted" data-testid="heat-source">
        {heatSourceText(heat, view.metric)}
      </p>
      {view.note && (
        <p className="text-warn" data-testid="heat-note">
          {view.note}
        </p>
      )}
    </div>
  );
}
