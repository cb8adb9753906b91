/** Memory at more than this share of maxmemory draws the limit on its chart; below, the limit would flatten the data. */
export const NEAR_LIMIT = 0.5;

/** True when a limit is set (> 0) and the data comes within NEAR_LIMIT of it. */
export function nearLimit(peak: number, limit: number | null | undefined): boolean {
  return typeof limit === 'number' && limit > 0 && peak > NEAR_LIMIT * limit;
}

/** The largest known value of several series (0 when none): one y-scale for every chart of a set. */
export function sharedPeak(series: ReadonlyArray<ReadonlyArray<number | null | undefined>>): number {
  let peak = 0;
  for (const values of series) for (const v of values) if (typeof v === 'number' && v > peak) peak = v;
  return peak;
}

export interface NiceScale {
  /** The axis top: the first tick at or above the data. */
  top: number;
  ticks: number[];
}

/**
 * Ticks from 0 to at least `max`, at most `maxTicks` of them, on round steps: 1, 2, 2.5, 5 x 10^k for counts and
 * rates, powers of two for bytes (so binary-prefixed labels read 512 KiB, 1.0 MiB, 1.5 MiB, not 537 KiB). Steps are
 * whole units: counts are shown rounded.
 */
export function niceScale(max: number, maxTicks: number, binary: boolean): NiceScale {
  const intervals = Math.max(1, maxTicks - 1);
  const target = Math.max(1, Number.isFinite(max) ? max : 0) / intervals;
  let step: number;
  if (binary) step = 2 ** Math.max(0, Math.ceil(Math.log2(target)));
  else {
    const power = 10 ** Math.floor(Math.log10(target));
    step = ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= target) ?? 10 * power) as number;
    step = Math.max(1, step);
  }
  const top = Math.max(step, Math.ceil(Math.max(0, max) / step) * step);
  const ticks: number[] = [];
  for (let i = 0; i * step <= top + step / 1e9; i++) ticks.push(i * step);
  return { top, ticks };
}
