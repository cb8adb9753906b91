import 'server-only';
import { type Sample, SERIES, type SeriesName } from '@/lib/history/types';

/**
 * A fixed-size ring of samples in typed arrays: time as Float64 (epoch ms), every series as Float32 (NaN = no value).
 * Memory is fixed at creation: capacity x (8 + 4 x series) bytes.
 */
export class SampleRing {
  private readonly t: Float64Array;
  private readonly columns: Record<SeriesName, Float32Array>;
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.columns = Object.fromEntries(SERIES.map((name) => [name, new Float32Array(capacity)])) as Record<
      SeriesName,
      Float32Array
    >;
  }

  static bytesFor(capacity: number): number {
    return capacity * (8 + 4 * SERIES.length);
  }

  get bytes(): number {
    return SampleRing.bytesFor(this.capacity);
  }

  get length(): number {
    return this.size;
  }

  /** Epoch ms of the oldest sample held, or undefined when empty. */
  get oldest(): number | undefined {
    return this.size ? this.t[(this.next - this.size + this.capacity) % this.capacity] : undefined;
  }

  push(at: number, sample: Sample): void {
    this.t[this.next] = at;
    for (const name of SERIES) this.columns[name][this.next] = sample[name] ?? Number.NaN;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  /** Samples at or after `since`, oldest first. */
  since(since: number): { t: number[]; series: Record<SeriesName, Array<number | null>> } {
    const t: number[] = [];
    const series = Object.fromEntries(SERIES.map((name) => [name, [] as Array<number | null>])) as Record<
      SeriesName,
      Array<number | null>
    >;
    for (let k = 0; k < this.size; k++) {
      const i = (this.next - this.size + k + this.capacity) % this.capacity;
      const at = this.t[i] ?? 0;
      if (at < since) continue;
      t.push(at);
      for (const name of SERIES) {
        const v = this.columns[name][i] ?? Number.NaN;
        series[name].push(Number.isNaN(v) ? null : v);
      }
    }
    return { t, series };
  }
}

/** Latency samples (ms) with their times, in a ring of fixed size. */
export class PingRing {
  private readonly t: Float64Array;
  private readonly ms: Float32Array;
  private next = 0;
  private size = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.ms = new Float32Array(capacity);
  }

  get bytes(): number {
    return this.capacity * 12;
  }

  push(at: number, ms: number): void {
    this.t[this.next] = at;
    this.ms[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
  }

  since(since: number): number[] {
    const out: number[] = [];
    for (let k = 0; k < this.size; k++) {
      const i = (this.next - this.size + k + this.capacity) % this.capacity;
      if ((this.t[i] ?? 0) >= since) out.push(this.ms[i] ?? 0);
    }
    return out;
  }
}
