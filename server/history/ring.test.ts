import { describe, expect, it } from 'vitest';
import { type Sample, SERIES } from '@/lib/history/types';
import { PingRing, SampleRing } from './ring';

const sample = (v: number): Sample =>
  Object.fromEntries(SERIES.map((s) => [s, s === 'hit_ratio' ? null : v])) as Sample;

describe('SampleRing', () => {
  it('keeps the newest `capacity` samples in order, with nulls', () => {
    const ring = new SampleRing(3);
    for (let i = 1; i <= 5; i++) ring.push(i * 1000, sample(i));
    const read = ring.since(0);
    expect(read.t).toEqual([3000, 4000, 5000]);
    expect(read.series.used_memory).toEqual([3, 4, 5]);
    expect(read.series.hit_ratio).toEqual([null, null, null]);
    expect(ring.since(4500).t).toEqual([5000]);
    expect(ring.bytes).toBe(3 * (8 + 4 * SERIES.length));
  });
});

describe('PingRing', () => {
  it('returns the samples of a window', () => {
    const ring = new PingRing(4);
    for (let i = 1; i <= 6; i++) ring.push(i, i / 10);
    expect(ring.since(0).map((v) => Math.round(v * 10))).toEqual([3, 4, 5, 6]);
    expect(ring.since(5).length).toBe(2);
  });
});
