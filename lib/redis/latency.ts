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
