import { describe, expect, it } from 'vitest';
import { nearLimit, niceScale, sharedPeak } from './scale';

describe('chart scales', () => {
  it('draws maxmemory only when the data comes near it', () => {
    const gib = 1024 ** 3;
    expect(nearLimit(10 * 1024 ** 2, gib)).toBe(false);
    expect(nearLimit(0.6 * gib, gib)).toBe(true);
    expect(nearLimit(gib, 0)).toBe(false);
    expect(nearLimit(gib, null)).toBe(false);
  });

  it('finds the peak of several series, ignoring missing samples', () => {
    expect(sharedPeak([[1, null, 3], [undefined, 7], []])).toBe(7);
    expect(sharedPeak([])).toBe(0);
  });
});

describe('niceScale', () => {
  const MiB = 1024 ** 2;

  it('steps bytes by powers of two', () => {
    expect(niceScale(1.9 * MiB, 5, true)).toEqual({ top: 2 * MiB, ticks: [0, 0.5, 1, 1.5, 2].map((m) => m * MiB) });
    expect(niceScale(6 * MiB, 5, true).ticks).toEqual([0, 2, 4, 6].map((m) => m * MiB));
  });

  it('steps counts by 1, 2, 2.5, 5 x 10^k, whole units only', () => {
    expect(niceScale(3130, 5, false)).toEqual({ top: 4000, ticks: [0, 1000, 2000, 3000, 4000] });
    expect(niceScale(21, 5, false)).toEqual({ top: 30, ticks: [0, 10, 20, 30] });
    expect(niceScale(4, 5, false).ticks).toEqual([0, 1, 2, 3, 4]);
    expect(niceScale(0.4, 5, false)).toEqual({ top: 1, ticks: [0, 1] });
    expect(niceScale(0, 5, true)).toEqual({ top: 1, ticks: [0, 1] });
  });

  it('never gives more ticks than asked, always covers the data', () => {
    for (const max of [1, 7, 99, 1234, 98_765, 3.3 * MiB, 1e9]) {
      for (const binary of [true, false]) {
        const { top, ticks } = niceScale(max, 5, binary);
        expect(top).toBeGreaterThanOrEqual(max);
        expect(ticks.length).toBeLessThanOrEqual(5);
        expect(ticks.at(-1)).toBe(top);
      }
    }
  });
});
