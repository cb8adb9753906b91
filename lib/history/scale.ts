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
