import 'server-only';
import { type Sample, SERIES, type SeriesName } from '@/lib/history/types';
import { MINUTE_MS, type MinuteRow, type MinuteSeries, readMinutes, writeMinutes } from '../store/historyMinutes';

interface NodeMinute {
  samples: number;
  sum: Float64Array;
  count: Uint32Array;
  max: Float64Array;
}

type Writer = (clusterId: string, rows: readonly MinuteRow[]) => void;

/**
 * A cluster's history in 1-minute rollups, in the store: each poll's samples are summed per node in memory, and when a
 * poll falls in a new minute the previous one goes to the store in one transaction (mean and highest per series).
 * The minute a dashboard stops in is lost; every earlier one outlives the process.
 */
export class MinuteRollup {
  private minute: number | undefined;
  private readonly nodes = new Map<string, NodeMinute>();
  private failing = false;
  /** Bumped at every write: reads cached before it are stale. */
  private writes = 0;
  private readonly cache = new Map<string, { writes: number; value: Map<string, MinuteSeries> }>();

  constructor(
    readonly clusterId: string,
    private readonly write: Writer = writeMinutes,
    private readonly read = readMinutes,
  ) {}

  add(at: number, nodeId: string, sample: Sample): void {
    const minute = Math.floor(at / MINUTE_MS) * MINUTE_MS;
    if (this.minute !== undefined && minute !== this.minute) this.flush();
    this.minute = minute;
    let node = this.nodes.get(nodeId);
    if (!node) {
      node = {
        samples: 0,
        sum: new Float64Array(SERIES.length),
        count: new Uint32Array(SERIES.length),
        max: new Float64Array(SERIES.length).fill(Number.NEGATIVE_INFINITY),
      };
      this.nodes.set(nodeId, node);
    }
    node.samples++;
    SERIES.forEach((name, i) => {
      const v = sample[name];
      if (v === null || !Number.isFinite(v)) return;
      node.sum[i] = (node.sum[i] ?? 0) + v;
      node.count[i] = (node.count[i] ?? 0) + 1;
      node.max[i] = Math.max(node.max[i] ?? v, v);
    });
  }

  /** The minute being summed goes to the store now (a store that fails costs the rollup, never the poll). */
  flush(): void {
    const minute = this.minute;
    if (minute === undefined || this.nodes.size === 0) return;
    const rows: MinuteRow[] = [...this.nodes].map(([nodeId, n]) => {
      const avg: Partial<Record<SeriesName, number | null>> = {};
      const max: Partial<Record<SeriesName, number | null>> = {};
      SERIES.forEach((name, i) => {
        const count = n.count[i] ?? 0;
        avg[name] = count ? (n.sum[i] ?? 0) / count : null;
        max[name] = count ? (n.max[i] ?? null) : null;
      });
      return { nodeId, minute, samples: n.samples, avg, max };
    });
    this.nodes.clear();
    this.cache.clear();
    this.writes++;
    try {
      this.write(this.clusterId, rows);
      if (this.failing) console.log(`[history ${this.clusterId}] 1-minute rollups are written again`);
      this.failing = false;
    } catch (err) {
      if (!this.failing)
        console.error(
          `[history ${this.clusterId}] could not write the 1-minute rollups (charts keep memory only):`,
          err,
        );
      this.failing = true;
    }
  }

  /** Per node, the stored minutes from `from`'s minute to `until` (excluded) as points `bucketMs` wide; cached until the next minute is written. */
  minutes(from: number, until: number, bucketMs: number): Map<string, MinuteSeries> {
    const start = Math.floor(from / MINUTE_MS) * MINUTE_MS;
    const key = `${start}:${until}:${bucketMs}`;
    const cached = this.cache.get(key);
    if (cached?.writes === this.writes) return cached.value;
    let value = new Map<string, MinuteSeries>();
    try {
      value = this.read(this.clusterId, start, until, bucketMs);
    } catch (err) {
      console.error(`[history ${this.clusterId}] could not read the 1-minute rollups:`, err);
    }
    this.cache.set(key, { writes: this.writes, value });
    return value;
  }
}
