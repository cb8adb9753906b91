import { formatMs } from '@/lib/format';
import type { LatencyNode } from '@/lib/history/types';

const ms = (v: number | null) => (v === null ? '–' : formatMs(v));

/** Per node: PING round trips like redis-cli --latency (min/avg/p99/max over the window), the latency monitor's
 * last events, and the slowest command percentiles from INFO latencystats. */
export function LatencyPanel({ nodes, sampleEveryMs }: { nodes: LatencyNode[]; sampleEveryMs: number }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-border">
      <table className="tabular w-full text-left text-sm" data-testid="latency-table">
        <thead className="bg-panel text-xs uppercase tracking-wider text-muted">
          <tr>
            <th className="px-3 py-2">node</th>
            <th className="px-3 py-2 text-right">samples</th>
            <th className="px-3 py-2 text-right">min</th>
            <th className="px-3 py-2 text-right">avg</th>
            <th className="px-3 py-2 text-right">p99</th>
            <th className="px-3 py-2 text-right">max</th>
            <th className="px-3 py-2">latency monitor</th>
            <th className="px-3 py-2">slowest commands (p99)</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => {
            const slowest = Object.entries(n.percentiles)
              .sort(([, a], [, b]) => b.p99 - a.p99)
              .slice(0, 3);
            return (
              <tr key={n.nodeId} className="border-t border-border" data-testid="latency-row">
                <td className="px-3 py-2">{n.addr}</td>
                <td className="px-3 py-2 text-right">{n.samples}</td>
                <td className="px-3 py-2 text-right">{ms(n.minMs)}</td>
                <td className="px-3 py-2 text-right">{ms(n.avgMs)}</td>
                <td className="px-3 py-2 text-right">{ms(n.p99Ms)}</td>
                <td className="px-3 py-2 text-right">{ms(n.maxMs)}</td>
                <td className="px-3 py-2 text-xs">
                  {n.refused
                    ? n.refused
                    : n.events.length
                      ? n.events.map((e) => `${e.event} ${e.latestMs} ms (max ${e.maxMs})`).join(', ')
                      : n.monitorEnabled
                        ? 'no events (or monitor off: latency-monitor-threshold 0)'
                        : 'not available'}
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  {slowest.length ? slowest.map(([cmd, p]) => `${cmd} ${formatMs(p.p99)}`).join(', ') : '–'}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="px-3 py-1 text-xs text-muted">
        PING every {sampleEveryMs} ms per node over the dashboard's own connection (skipped while a poll is in flight).
      </p>
    </div>
  );
}
