import { describe, expect, it } from 'vitest';
import { timeAxis, timeTickLabel } from './timeAxis';

const base = Date.UTC(2026, 0, 1, 10, 0, 0);

describe('timeAxis', () => {
  it('picks the smallest clock step that fits, on whole multiples of it', () => {
    const { ticks, step } = timeAxis(base + 7_000, base + 5 * 60_000 + 7_000, 6);
    expect(step).toBe(60_000);
    expect(ticks).toEqual([1, 2, 3, 4, 5].map((m) => base + m * 60_000));
  });

  it('fits the tick count it is given', () => {
    for (const [span, max] of [
      [15 * 60_000, 4],
      [60 * 60_000, 7],
      [30_000, 4],
      [20_000, 3],
    ] as const) {
      const { ticks } = timeAxis(base, base + span, max);
      expect(ticks.length).toBeLessThanOrEqual(max);
      expect(ticks.length).toBeGreaterThanOrEqual(2);
    }
    expect(timeAxis(base, base + 60 * 60_000, 7).step).toBe(10 * 60_000);
  });

  it('copes with an empty span', () => {
    expect(timeAxis(base, base, 5).ticks).toEqual([base]);
    expect(timeAxis(base + 1, base + 2, 5).ticks).toEqual([]);
  });

  it('labels minutes as hh:mm and seconds as hh:mm:ss', () => {
    expect(timeTickLabel(base, 60_000)).toMatch(/^\d\d:\d\d$/);
    expect(timeTickLabel(base, 15_000)).toMatch(/^\d\d:\d\d:\d\d$/);
  });
});
