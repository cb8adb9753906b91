/** Every series kept per node, at the poll interval. Rates are per second; null where there is no value. */
export const SERIES = [
  'used_memory',
  'used_memory_rss',
  'maxmemory',
  'keys',
  'ops_per_sec',
  'net_in_bytes_per_sec',
  'net_out_bytes_per_sec',
  'connected_clients',
  'blocked_clients',
  'hit_ratio',
  'evicted_per_sec',
  'expired_per_sec',
  'repl_lag_bytes',
  'ping_ms',
] as const;
export type SeriesName = (typeof SERIES)[number];
export type Sample = Record<SeriesName, number | null>;

/** Windows past the in-memory history (historyMinutes) are drawn from the store's 1-minute rollups (7 days kept). */
export const WINDOWS = {
  '5m': 5 * 60_000,
  '15m': 15 * 60_000,
  '1h': 60 * 60_000,
  '6h': 6 * 60 * 60_000,
  '24h': 24 * 60 * 60_000,
  '7d': 7 * 24 * 60 * 60_000,
} as const;
export type HistoryWindow = keyof typeof WINDOWS;

export interface NodeHistory {
  nodeId: string;
  addr: string;
  role: string;
  masterId: string | null;
  /** Epoch ms of each sample. */
  t: number[];
  series: Record<SeriesName, Array<number | null>>;
}

export interface HistoryResponse {
  clusterId: string;
  window: HistoryWindow;
  pollIntervalMs: number;
  nodes: NodeHistory[];
  /**
   * Points before this time (epoch ms) are 1-minute means from the store (the window reaches past the in-memory
   * history, or the dashboard restarted within it); from it on, the polls' own samples. Absent: all are samples.
   */
  minuteAveragesUntil?: number;
}

export interface LatencyStats {
  nodeId: string;
  addr: string;
  samples: number;
  minMs: number | null;
  avgMs: number | null;
  p99Ms: number | null;
  maxMs: number | null;
}

/** Per node: PING statistics over the window, plus the latency monitor's events and INFO latencystats. */
export type LatencyNode = LatencyStats &
  import('../cluster/types').NodeLatency & {
    /** "not permitted for user X: latency" when the node refused LATENCY LATEST. */
    refused?: string;
    /** "not permitted for user X: config|get" when the node refused the CONFIG GET that reads the threshold. */
    thresholdRefused?: string;
  };

/** GET /api/clusters/{id}/latency */
export interface LatencyResponse {
  clusterId: string;
  window: HistoryWindow;
  sampleEveryMs: number;
  nodes: LatencyNode[];
}
