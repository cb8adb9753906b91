import { formatBytes, formatCount, formatMs } from '@/lib/format';
import type { SeriesName } from '@/lib/history/types';

export interface MetricSpec {
  series: SeriesName;
  title: string;
  format: (v: number) => string;
  /** Memory is the master's (a replica holds the same data); rates and clients add up over every node of the shard. */
  mastersOnly: boolean;
  /** Bytes: y ticks on powers of two, so binary-prefixed labels come out round. */
  binary: boolean;
}

export const METRICS = {
  memory: { series: 'used_memory', title: 'Memory used', format: formatBytes, mastersOnly: true, binary: true },
  ops: {
    series: 'ops_per_sec',
    title: 'Commands /s',
    format: (v) => `${formatCount(v)}/s`,
    mastersOnly: false,
    binary: false,
  },
  netIn: {
    series: 'net_in_bytes_per_sec',
    title: 'Network in',
    format: (v) => `${formatBytes(v)}/s`,
    mastersOnly: false,
    binary: true,
  },
  netOut: {
    series: 'net_out_bytes_per_sec',
    title: 'Network out',
    format: (v) => `${formatBytes(v)}/s`,
    mastersOnly: false,
    binary: true,
  },
  clients: {
    series: 'connected_clients',
    title: 'Connected clients',
    format: formatCount,
    mastersOnly: false,
    binary: false,
  },
  ping: { series: 'ping_ms', title: 'PING round trip', format: formatMs, mastersOnly: false, binary: false },
} as const satisfies Record<string, MetricSpec>;
