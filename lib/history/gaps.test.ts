import { describe, expect, it } from 'vitest';
import { countGaps, gapThresholdMs, insertGaps, usualStepMs } from './gaps';

const rows = (t: number[]) => t.map((at) => ({ t: at, v: at as number | null }));
const blank = (t: number) => ({ t, v: null });

describe('gaps in a series', () => {
  it('takes the usual step from the samples, at least the poll interval', () => {
    expect(usualStepMs([0, 500, 1000, 1500, 9000, 9500], 500)).toBe(500);
    // Downsampled: points several polls apart.
    expect(usualStepMs([0, 12_000, 24_000, 36_000], 500)).toBe(12_000);
    expect(usualStepMs([0], 500)).toBe(500);
    expect(usualStepMs([], 1000)).toBe(1000);
    expect(gapThresholdMs([0, 500, 1000], 500)).toBe(1250);
  });

  it('inserts a null point in an outage, so the line breaks instead of crossing it', () => {
    const t = [0, 500, 1000, 1500, 9000, 9500, 10_000];
    const out = insertGaps(rows(t), gapThresholdMs(t, 500), blank);
    expect(out.map((r) => r.t)).toEqual([0, 500, 1000, 1500, 5250, 9000, 9500, 10_000]);
    expect(out[4]).toEqual({ t: 5250, v: null });
  });

  it('leaves a series without outage as it is, jitter included', () => {
    const t = [0, 480, 1010, 1500, 2100, 2500];
    expect(insertGaps(rows(t), gapThresholdMs(t, 500), blank)).toEqual(rows(t));
    expect(insertGaps([], 1000, blank)).toEqual([]);
  });

  it('judges 1-minute means by their own step, and the samples after them by theirs', () => {
    // minutes up to 180 s, 120 s to the first sample (within 2.5 minutes), then samples with one 5 s outage
    const t = [60_000, 120_000, 180_000, 300_000, 300_500, 301_000, 306_000, 306_500];
    const limit = (from: number) => (from <= 180_000 ? 150_000 : 1250);
    const out = insertGaps(rows(t), limit, blank);
    expect(out.filter((r) => r.v === null).map((r) => r.t)).toEqual([303_500]);
    // one rule for all would break every minute apart
    expect(insertGaps(rows(t), 1250, blank).filter((r) => r.v === null)).toHaveLength(4);
  });

  it('finds several outages, each one gap', () => {
    const t = [0, 1000, 2000, 10_000, 11_000, 12_000, 30_000, 31_000];
    const out = insertGaps(rows(t), gapThresholdMs(t, 1000), blank);
    expect(out.filter((r) => r.v === null).map((r) => r.t)).toEqual([6000, 21_000]);
  });
});

describe('countGaps', () => {
  it('counts the breaks between values, not missing values at either end', () => {
    expect(countGaps([1, 2, null, null, 3, null, 4])).toBe(2);
    expect(countGaps([null, 1, 2, null])).toBe(0);
    expect(countGaps([undefined, null])).toBe(0);
    expect(countGaps([])).toBe(0);
  });
});
