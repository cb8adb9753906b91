import { ReplyParseError } from './errors';

/** LATENCY LATEST: [[event, unix s of the latest spike, latest ms, all-time max ms], ...] */
export interface LatencyEvent {
  event: string;
  timestamp: number;
  latestMs: number;
  maxMs: number;
}

export function parseLatencyLatest(reply: unknown): LatencyEvent[] {
  if (!Array.isArray(reply)) throw new ReplyParseError('LATENCY', 'LATENCY LATEST reply is not a list');
  return reply.map((entry, i) => {
    if (!Array.isArray(entry) || entry.length < 4)
      throw new ReplyParseError('LATENCY', `entry ${i} has the wrong shape`);
    const [event, timestamp, latest, max] = entry as unknown[];
    return { event: String(event), timestamp: Number(timestamp), latestMs: Number(latest), maxMs: Number(max) };
  });
}

/** INFO latencystats (7.0+): "latency_percentiles_usec_get:p50=1.003,p99=3.007,p99.9=10.015" -> ms per command. */
export function parseLatencyStats(
  fields: Record<string, string>,
): Record<string, { p50: number; p99: number; p999: number }> {
  const out: Record<string, { p50: number; p99: number; p999: number }> = {};
  for (const [key, value] of Object.entries(fields)) {
    const m = /^latency_percentiles_usec_(.+)$/.exec(key);
    if (!m?.[1]) continue;
    const parts = Object.fromEntries(value.split(',').map((p) => p.split('=') as [string, string]));
    const ms = (k: string) => Number(parts[k] ?? Number.NaN) / 1000;
    out[m[1]] = { p50: ms('p50'), p99: ms('p99'), p999: ms('p99.9') };
  }
  return out;
}

/** latency-monitor-threshold (ms) from CONFIG GET's reply as a record; undefined when absent or unreadable. */
export function parseLatencyThreshold(config: Record<string, string> | undefined): number | undefined {
  const raw = config?.['latency-monitor-threshold'];
  if (raw === undefined || raw.trim() === '') return undefined;
  const ms = Number(raw);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** What the latency monitor of one node is known to be doing. */
export type LatencyMonitorState =
  /** LATENCY LATEST refused: nothing known. */
  | { state: 'refused'; reason: string }
  /** latency-monitor-threshold is 0: the monitor records nothing. */
  | { state: 'off' }
  /** Recording spikes at or above thresholdMs (undefined when the events show it is on but the threshold is not known). */
  | { state: 'on'; thresholdMs: number | undefined; events: LatencyEvent[] }
  /** Not readable (CONFIG GET refused) or not read yet, and no events to show it is on. */
  | { state: 'unknown'; reason: string };

/**
 * The monitor's state from what the poll read. Only a threshold read as 0 says "off": an empty LATENCY LATEST means
 * no spike above the threshold as well as a monitor that is off, and a refused CONFIG GET leaves it unknown.
 */
export function latencyMonitorState(node: {
  refused?: string;
  thresholdRefused?: string;
  monitorEnabled: boolean;
  thresholdMs?: number;
  events: readonly LatencyEvent[];
}): LatencyMonitorState {
  if (node.refused) return { state: 'refused', reason: node.refused };
  if (node.thresholdMs === 0) return { state: 'off' };
  if (node.thresholdMs !== undefined) return { state: 'on', thresholdMs: node.thresholdMs, events: [...node.events] };
  if (node.events.length) return { state: 'on', thresholdMs: undefined, events: [...node.events] };
  if (node.thresholdRefused) return { state: 'unknown', reason: `threshold not readable: ${node.thresholdRefused}` };
  return { state: 'unknown', reason: node.monitorEnabled ? 'threshold not read yet' : 'not read yet' };
}
