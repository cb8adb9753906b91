import { Fragment } from 'react';
import { Term } from '@/components/common/Term';
import { formatMs } from '@/lib/format';
import type { LatencyNode } from '@/lib/history/types';
import { type LatencyEvent, latencyMonitorState } from '@/lib/redis/latency';

const ms = (v: number | null) => (v === null ? '–' : formatMs(v));

const eventText = (e: LatencyEvent) => `${e.event} ${formatMs(e.latestMs)} (max ${formatMs(e.maxMs)})`;

/** The latency monitor's state: its threshold when read, "off" only when that is 0, "unknown" when not readable. */
function MonitorState({ node }: { node: LatencyNode }) {
  const state = latencyMonitorState(node);
  const common = { 'data-testid': 'latency-monitor', 'data-state': state.state } as const;
  switch (state.state) {
    case 'refused':
      return <span {...common}>{state.reason}</span>;
    case 'off':
      return (
        <span {...common} className="text-muted">
          off (latency-monitor-threshold 0)
        </span>
      );
    case 'unknown':
      return (
        <span {...common} className="text-muted">
          unknown: {state.reason}
        </span>
      );
    case 'on':
      return (
        <span {...common}>
          <span className="whitespace-nowrap">
            on, ≥ {state.thresholdMs === undefined ? '? ms' : formatMs(state.thresholdMs)}
          </span>
          {': '}
          {state.events.length ? state.events.map(eventText).join(', ') : 'no events'}
        </span>
      );
  }
}

/** Per node: PING round trips like redis-cli --latency (min/avg/p99/max over the window), the latency monitor's
 * state and last events, and the slowest command percentiles from INFO latencystats. */
export function LatencyPanel({ nodes, sampleEveryMs }: { nodes: LatencyNode[]; sampleEveryMs: number }) {
  const num = 'whitespace-nowrap px-3 py-2 text-right';
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
            <th className="px-3 py-2">
              <Term word="latencyMonitor" />
            </th>
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
                <td className="whitespace-nowrap px-3 py-2">{n.addr}</td>
                <td className={num}>{n.samples}</td>
                <td className={num}>{ms(n.minMs)}</td>
                <td className={num}>{ms(n.avgMs)}</td>
                <td className={num}>{ms(n.p99Ms)}</td>
                <td className={num}>{ms(n.maxMs)}</td>
                <td className="px-3 py-2 text-xs">
                  <MonitorState node={n} />
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  {slowest.length
                    ? slowest.map(([cmd, p], i) => (
                        <Fragment key={cmd}>
                          {i > 0 && ', '}
                          <span className="whitespace-nowrap">
                            {cmd} {formatMs(p.p99)}
                          </span>
                        </Fragment>
                      ))
                    : '–'}
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
