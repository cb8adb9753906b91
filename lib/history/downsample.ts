import { SERIES, type SeriesName } from './types';

export interface Series {
  t: number[];
  series: Record<SeriesName, Array<number | null>>;
}

/**
 * At most `maxPoints` points: samples grouped into equal time buckets, each value the mean of the bucket's non-null
 * values (null when it has none), time the bucket's last sample. Shorter input is returned as it is.
 */
export function downsample(input: Series, maxPoints: number): Series {
  const n = input.t.length;
  if (n <= maxPoints) return input;
  const per = Math.ceil(n / maxPoints);
  const t: number[] = [];
  const series = Object.fromEntries(SERIES.map((s) => [s, [] as Array<number | null>])) as Series['series'];
  for (let start = 0; start < n; start += per) {
    const end = Math.min(n, start + per);
    t.push(input.t[end - 1] ?? 0);
    for (const name of SERIES) {
      let sum = 0;
      let count = 0;
      for (let i = start; i < end; i++) {
        const v = input.series[name][i];
        if (v !== null && v !== undefined) {
          sum += v;
          count++;
        }
      }
      series[name].push(count ? sum / count : null);
    }
  }
  return { t, series };
}
