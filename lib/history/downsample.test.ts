import { describe, expect, it } from 'vitest';
import { downsample, type Series } from './downsample';
import { SERIES } from './types';

function make(n: number): Series {
  const t = Array.from({ length: n }, (_, i) => i * 1000);
  const series = Object.fromEntries(
    SERIES.map((s) => [s, t.map((_, i) => (s === 'hit_ratio' ? null : i % 2 ? null : i))]),
  ) as Series['series'];
  return { t, series };
}

describe('downsample', () => {
  it('keeps short series as they are', () => {
    const input = make(10);
    expect(downsample(input, 300)).toBe(input);
  });

  it('averages non-null values per bucket and keeps nulls where a bucket has none', () => {
    const out = downsample(make(3600), 300);
    expect(out.t).toHaveLength(300);
    expect(out.t[0]).toBe(11_000);
    expect(out.series.used_memory[0]).toBe(5);
    expect(out.series.hit_ratio.every((v) => v === null)).toBe(true);
  });
});
