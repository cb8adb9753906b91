'use client';

import { Area, AreaChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { shardColors } from '@/lib/cluster/shardColors';
import type { SnapshotNode } from '@/lib/cluster/types';
import type { NodeHistory } from '@/lib/history/types';
import { chartStyle, clockTick } from './chartStyle';
import type { MetricSpec } from './metrics';

type Row = { t: number } & Record<string, number>;

/** Rows of { t, <masterId>: value } with each shard's nodes added up (or the master alone, for memory). */
function stackRows(history: NodeHistory[], nodes: SnapshotNode[], metric: MetricSpec): Row[] {
  const shardOf = new Map(nodes.map((n) => [n.id, n.role === 'master' ? n.id : n.masterId]));
  const rows = new Map<number, Row>();
  for (const h of history) {
    const shard = shardOf.get(h.nodeId);
    if (!shard || (metric.mastersOnly && shard !== h.nodeId)) continue;
    h.t.forEach((t, i) => {
      const v = h.series[metric.series][i];
      if (v === null || v === undefined) return;
      const row = rows.get(t) ?? ({ t } as Row);
      row[shard] = (row[shard] ?? 0) + v;
      rows.set(t, row);
    });
  }
  return [...rows.values()].sort((a, b) => a.t - b.t);
}

export function ShardStackChart({
  history,
  nodes,
  metric,
}: {
  history: NodeHistory[];
  nodes: SnapshotNode[];
  metric: MetricSpec;
}) {
  const colours = shardColors(nodes);
  const masters = nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
  const rows = stackRows(history, nodes, metric);
  return (
    <figure
      className="rounded-lg border border-border bg-panel p-3"
      data-testid="shard-chart"
      data-metric={metric.series}
      data-points={rows.length}
    >
      <figcaption className="mb-1 text-sm font-semibold">
        {metric.title}{' '}
        <span className="font-normal text-muted">
          cluster total, stacked by shard{metric.mastersOnly ? ' (masters)' : ''}
        </span>
      </figcaption>
      <ResponsiveContainer width="100%" height={180}>
        <AreaChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 8 }}>
          <CartesianGrid {...chartStyle.grid} />
          <XAxis
            dataKey="t"
            type="number"
            domain={['dataMin', 'dataMax']}
            tickFormatter={clockTick}
            {...chartStyle.axis}
          />
          <YAxis tickFormatter={metric.format} width={72} {...chartStyle.axis} />
          <Tooltip
            {...chartStyle.tooltip}
            labelFormatter={(t) => clockTick(Number(t))}
            formatter={(v, name) => [
              metric.format(Number(v)),
              masters.find((m) => m.id === name)?.addr ?? String(name),
            ]}
          />
          {masters.map((m) => (
            <Area
              key={m.id}
              dataKey={m.id}
              stackId="shards"
              stroke={colours.get(m.id)}
              fill={colours.get(m.id)}
              fillOpacity={0.5}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}
