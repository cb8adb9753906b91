import { describe, expect, it } from 'vitest';
import { nearLimit, sharedPeak } from './scale';

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
