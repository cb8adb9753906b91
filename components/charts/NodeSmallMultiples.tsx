'use client';

import { useId, useState } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Term } from '@/components/common/Term';
import { shardColors } from '@/lib/cluster/shardColors';
import type { SnapshotNode } from '@/lib/cluster/types';
import { countGaps, insertGaps } from '@/lib/history/gaps';
import { chartMarkers } from '@/lib/history/markers';
import { nearLimit, niceScale, sharedPeak } from '@/lib/history/scale';
import { timeAxis, timeTickLabel } from '@/lib/history/timeAxis';
import type { NodeHistory } from '@/lib/history/types';
import { chartMargin, chartStyle, clockTick, unbroken } from './chartStyle';
import { type ChartFrame, stepLimit } from './frame';
import { markerLines, resolutionLine } from './markerLines';
import type { MetricSpec } from './metrics';
import { SeriesTable } from './SeriesTable';

type Row = { t: number; v: number | null };

const lastKnown = (values: ReadonlyArray<number | null>) => values.findLast((v) => v !== null) ?? 0;

/**
 * One small chart per node for one metric, each with its own time axis (the same span on all) and, on request, one
 * y-scale for all. Memory is scaled to the data; the node's maxmemory is drawn only when the data comes near it.
 */
export function NodeSmallMultiples({
  history,
  nodes,
  metric,
  frame,
  colours: givenColours,
}: {
  history: NodeHistory[];
  nodes: SnapshotNode[];
  metric: MetricSpec;
  frame: ChartFrame | undefined;
  /** Colour per node id where the caller knows better than the cluster's shards (a Sentinel deployment's one set). */
  colours?: ReadonlyMap<string, string>;
}) {
  const [shared, setShared] = useState(false);
  const toggleId = useId();
  const colours = givenColours ?? shardColors(nodes);
  const memory = metric.series === 'used_memory';
  const charts = history.map((h) => {
    const values = h.series[metric.series];
    const limit = memory ? lastKnown(h.series.maxmemory) : 0;
    const peak = sharedPeak([values]);
    const showLimit = nearLimit(peak, limit);
    return { h, values, limit, showLimit, top: showLimit ? Math.max(peak, limit) : peak };
  });
  const sharedScale = niceScale(Math.max(0, ...charts.map((c) => c.top)), 4, metric.binary);
  const span = frame ?? { from: 0, to: 0 };
  const axis = timeAxis(span.from, span.to, 4);
  return (
    <section className="space-y-1" data-testid="node-multiples" data-metric={metric.series} data-shared-scale={shared}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-4">
        <h2 className="text-lg font-semibold">{metric.title} per node</h2>
        <label htmlFor={toggleId} className="flex items-center gap-2 text-sm text-muted">
          <input
            id={toggleId}
            type="checkbox"
            checked={shared}
            onChange={(e) => setShared(e.target.checked)}
            data-testid="shared-scale"
          />
          same y-scale for every node
        </label>
      </div>
      <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-6">
        {charts.map(({ h, values, limit, showLimit, top }) => {
          const rows = insertGaps<Row>(
            h.t.map((t, i) => ({ t, v: values[i] ?? null })),
            stepLimit(frame),
            (t) => ({ t, v: null }),
          );
          const scale = shared ? sharedScale : niceScale(top, 4, metric.binary);
          const markers = frame
            ? chartMarkers(frame.events, { ...span, mergeWithinMs: (span.to - span.from) / 15, nodeId: h.nodeId })
            : [];
          return (
            <figure
              key={h.nodeId}
              className="min-w-0 rounded border border-border bg-panel p-2"
              data-testid="node-chart"
              data-node-id={h.nodeId}
              data-limit-shown={showLimit}
              data-markers={markers.length}
              data-gaps={countGaps(rows.map((r) => r.v))}
            >
              <figcaption className="flex justify-between gap-2 text-xs text-muted" title={h.nodeId}>
                <span className="truncate">
                  <span
                    aria-hidden
                    className="mr-1 inline-block size-2 rounded-sm"
                    style={{ backgroundColor: colours.get(h.nodeId) ?? 'var(--muted)' }}
                  />
                  {h.addr} <span>{h.role}</span>
                </span>
                {showLimit && (
                  <span className="shrink-0 whitespace-nowrap">
                    <Term word="maxmemory">maxmemory</Term> {metric.format(limit)}
                  </span>
                )}
              </figcaption>
              <ResponsiveContainer width="100%" height={120}>
                <LineChart data={rows} margin={{ ...chartMargin, right: 20 }}>
                  <CartesianGrid {...chartStyle.grid} />
                  <XAxis
                    dataKey="t"
                    type="number"
                    scale="time"
                    domain={[span.from, span.to]}
                    ticks={axis.ticks}
                    tickFormatter={(t: number) => timeTickLabel(t, axis.step)}
                    {...chartStyle.axis}
                    fontSize={10}
                    height={18}
                  />
                  <YAxis
                    tickFormatter={unbroken(metric.format)}
                    width={64}
                    {...chartStyle.axis}
                    fontSize={10}
                    domain={[0, scale.top]}
                    ticks={scale.ticks}
                  />
                  <Tooltip
                    {...chartStyle.tooltip}
                    labelFormatter={(t) => clockTick(Number(t))}
                    formatter={(v) => [v === null || v === undefined ? '–' : metric.format(Number(v)), metric.title]}
                  />
                  {showLimit && (
                    <ReferenceLine y={limit} stroke="var(--crit)" strokeDasharray="4 2" ifOverflow="extendDomain" />
                  )}
                  {markerLines(markers, span, 10)}
                  {resolutionLine(frame?.minuteAveragesUntil, span, 10)}
                  <Line
                    dataKey="v"
                    stroke={colours.get(h.nodeId) ?? 'var(--muted)'}
                    dot={false}
                    isAnimationActive={false}
                    connectNulls={false}
                  />
                </LineChart>
              </ResponsiveContainer>
            </figure>
          );
        })}
      </div>
      <SeriesTable
        caption={`${metric.title} per node`}
        format={metric.format}
        series={charts.map(({ h, values }) => ({
          key: h.nodeId,
          label: `${h.addr} ${h.role}`,
          colour: colours.get(h.nodeId),
          values,
        }))}
      />
    </section>
  );
}
