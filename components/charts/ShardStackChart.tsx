'use client';

import { Area, AreaChart, CartesianGrid, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Term } from '@/components/common/Term';
import { shardColors } from '@/lib/cluster/shardColors';
import type { SnapshotNode } from '@/lib/cluster/types';
import { countGaps, insertGaps } from '@/lib/history/gaps';
import { chartMarkers } from '@/lib/history/markers';
import { nearLimit, niceScale } from '@/lib/history/scale';
import { timeAxis, timeTickLabel } from '@/lib/history/timeAxis';
import type { NodeHistory } from '@/lib/history/types';
import { formatRanges } from '@/lib/redis/slots';
import { chartMargin, chartStyle, clockTick, unbroken } from './chartStyle';
import { type ChartFrame, stepLimit } from './frame';
import { markerLines, resolutionLine } from './markerLines';
import type { MetricSpec } from './metrics';
import { SeriesTable } from './SeriesTable';

type Row = { t: number } & Record<string, number | null>;

/**
 * Rows of { t, <masterId>: value } with each shard's nodes added up (or the master alone, for memory). A shard with no
 * value at a time (its nodes unreachable) is null there, never left out: a stacked area missing a key breaks anyway.
 */
function stackRows(history: NodeHistory[], masters: SnapshotNode[], nodes: SnapshotNode[], metric: MetricSpec): Row[] {
  const shardOf = new Map(nodes.map((n) => [n.id, n.role === 'master' ? n.id : n.masterId]));
  const rows = new Map<number, Row>();
  for (const h of history) {
    const shard = shardOf.get(h.nodeId);
    if (!shard || (metric.mastersOnly && shard !== h.nodeId)) continue;
    h.t.forEach((t, i) => {
      let row = rows.get(t);
      if (!row) {
        row = { t } as Row;
        for (const m of masters) row[m.id] = null;
        rows.set(t, row);
      }
      const v = h.series[metric.series][i];
      if (v === null || v === undefined) return;
      row[shard] = (row[shard] ?? 0) + v;
    });
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

/** The masters' maxmemory added up, when every master with slots has one (0 = no limit). */
function totalLimit(history: NodeHistory[], masters: SnapshotNode[]): number {
  let total = 0;
  for (const m of masters) {
    const limit = history.find((h) => h.nodeId === m.id)?.series.maxmemory.findLast((v) => v !== null) ?? 0;
    if (!limit) return 0;
    total += limit;
  }
  return total;
}

export function ShardStackChart({
  history,
  nodes,
  metric,
  frame,
}: {
  history: NodeHistory[];
  nodes: SnapshotNode[];
  metric: MetricSpec;
  frame: ChartFrame | undefined;
}) {
  const colours = shardColors(nodes);
  const masters = nodes
    .filter((n) => n.role === 'master' && n.slotCount > 0)
    .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
  const blank = (t: number): Row => {
    const row = { t } as Row;
    for (const m of masters) row[m.id] = null;
    return row;
  };
  const rows = insertGaps(stackRows(history, masters, nodes, metric), stepLimit(frame), blank);
  const span = frame ?? { from: rows[0]?.t ?? 0, to: rows.at(-1)?.t ?? 0 };
  const axis = timeAxis(span.from, span.to, 7);
  const markers = frame ? chartMarkers(frame.events, { ...span, mergeWithinMs: (span.to - span.from) / 40 }) : [];
  const peak = Math.max(0, ...rows.map((r) => masters.reduce((s, m) => s + (r[m.id] ?? 0), 0)));
  const limit = metric.series === 'used_memory' ? totalLimit(history, masters) : 0;
  const showLimit = nearLimit(peak, limit);
  const scale = niceScale(showLimit ? Math.max(peak, limit) : peak, 5, metric.binary);
  return (
    <figure
      className="min-w-0 rounded-lg border border-border bg-panel p-3"
      data-testid="shard-chart"
      data-metric={metric.series}
      data-points={rows.length}
      data-gaps={countGaps(rows.map((r) => (masters.every((m) => r[m.id] === null) ? null : 0)))}
      data-markers={markers.length}
    >
      <figcaption className="mb-1 flex flex-wrap items-baseline justify-between gap-x-3">
        <span className="text-sm font-semibold">
          {metric.title}{' '}
          <span className="font-normal text-muted">
            cluster total, stacked by shard{metric.mastersOnly ? ' (masters)' : ''}
          </span>
        </span>
        <ul className="flex flex-wrap gap-x-3 text-xs" data-testid="chart-legend" aria-label="Shards">
          {masters.map((m) => (
            <li
              key={m.id}
              className="flex items-center gap-1 whitespace-nowrap"
              data-testid="legend-item"
              title={`master ${m.id}, slots ${formatRanges(m.slots)}`}
            >
              <span
                aria-hidden
                className="inline-block size-2.5 rounded-sm"
                style={{ backgroundColor: colours.get(m.id) }}
              />
              {m.addr}
            </li>
          ))}
          {showLimit && (
            <li className="flex items-center gap-1 whitespace-nowrap text-muted">
              <span aria-hidden className="inline-block w-3 border-t-2 border-dashed border-crit" />
              <Term word="maxmemory">maxmemory (all masters)</Term>
            </li>
          )}
        </ul>
      </figcaption>
      <ResponsiveContainer width="100%" height={200}>
        <AreaChart data={rows} margin={chartMargin}>
          <CartesianGrid {...chartStyle.grid} />
          <XAxis
            dataKey="t"
            type="number"
            scale="time"
            domain={[span.from, span.to]}
            ticks={axis.ticks}
            tickFormatter={(t: number) => timeTickLabel(t, axis.step)}
            {...chartStyle.axis}
          />
          <YAxis
            tickFormatter={unbroken(metric.format)}
            width={80}
            {...chartStyle.axis}
            domain={[0, scale.top]}
            ticks={scale.ticks}
          />
          <Tooltip
            {...chartStyle.tooltip}
            labelFormatter={(t) => clockTick(Number(t))}
            formatter={(v, name) => [v === null || v === undefined ? '–' : metric.format(Number(v)), name]}
          />
          {masters.map((m, i) => (
            <Area
              // Keyed by position: recharts stacks in mounting order, and a master new after a failover would
              // otherwise mount last and jump to the top of the stack, out of the legend's order.
              // biome-ignore lint/suspicious/noArrayIndexKey: the shard's position is its identity here
              key={i}
              dataKey={m.id}
              name={m.addr}
              stackId="shards"
              stroke={colours.get(m.id)}
              fill={colours.get(m.id)}
              fillOpacity={0.5}
              isAnimationActive={false}
              connectNulls={false}
            />
          ))}
          {showLimit && (
            <ReferenceLine
              y={limit}
              stroke="var(--crit)"
              strokeDasharray="6 3"
              ifOverflow="extendDomain"
              label={{ value: 'maxmemory', position: 'insideTopRight', fill: 'var(--muted)', fontSize: 11 }}
            />
          )}
          {markerLines(markers, span)}
          {resolutionLine(frame?.minuteAveragesUntil, span)}
        </AreaChart>
      </ResponsiveContainer>
      <SeriesTable
        caption={`${metric.title} per shard`}
        format={metric.format}
        series={[
          ...masters.map((m) => ({
            key: m.id,
            label: m.addr,
            colour: colours.get(m.id),
            values: rows.filter((r) => masters.some((x) => r[x.id] !== null)).map((r) => r[m.id]),
          })),
          {
            key: 'total',
            label: 'total',
            values: rows
              .filter((r) => masters.some((x) => r[x.id] !== null))
              .map((r) => masters.reduce((s, m) => s + (r[m.id] ?? 0), 0)),
          },
        ]}
      />
    </figure>
  );
}
