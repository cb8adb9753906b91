'use client';

import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { shardColors } from '@/lib/cluster/shardColors';
import type { SnapshotNode } from '@/lib/cluster/types';
import type { NodeHistory } from '@/lib/history/types';
import { chartStyle, clockTick } from './chartStyle';
import type { MetricSpec } from './metrics';

/** One small chart per node for one metric; memory charts carry the node's maxmemory line. */
export function NodeSmallMultiples({
  history,
  nodes,
  metric,
}: {
  history: NodeHistory[];
  nodes: SnapshotNode[];
  metric: MetricSpec;
}) {
  const colours = shardColors(nodes);
  return (
    <div
      className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-6"
      data-testid="node-multiples"
      data-metric={metric.series}
    >
      {history.map((h) => {
        const rows = h.t.map((t, i) => ({ t, v: h.series[metric.series][i] ?? null }));
        const max = metric.series === 'used_memory' ? (h.series.maxmemory.at(-1) ?? 0) : 0;
        return (
          <figure key={h.nodeId} className="rounded border border-border bg-panel p-2" data-testid="node-chart">
            <figcaption className="truncate text-xs text-muted" title={h.nodeId}>
              {h.addr} <span>{h.role}</span>
            </figcaption>
            <ResponsiveContainer width="100%" height={90}>
              <LineChart data={rows} margin={{ top: 4, right: 4, bottom: 0, left: 4 }}>
                <CartesianGrid {...chartStyle.grid} />
                <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} hide />
                <YAxis
                  tickFormatter={metric.format}
                  width={64}
                  {...chartStyle.axis}
                  fontSize={10}
                  domain={[0, (dataMax: number) => Math.max(dataMax, max)]}
                />
                <Tooltip
                  {...chartStyle.tooltip}
                  labelFormatter={(t) => clockTick(Number(t))}
                  formatter={(v) => [metric.format(Number(v)), metric.title]}
                />
                {max > 0 && (
                  <ReferenceLine
                    y={max}
                    stroke="var(--crit)"
                    strokeDasharray="4 2"
                    label={{ value: 'maxmemory', fill: 'var(--muted)', fontSize: 10 }}
                  />
                )}
                <Line
                  dataKey="v"
                  stroke={colours.get(h.nodeId) ?? 'var(--muted)'}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls
                />
              </LineChart>
            </ResponsiveContainer>
          </figure>
        );
      })}
    </div>
  );
}
