import { describe, expect, it } from 'vitest';
import { formatRanges, normalizeRanges, rangeContains, rangesFromSlots, slotCount, uncoveredRanges } from './slots';

describe('slot ranges', () => {
  it('merges overlapping and adjacent ranges', () => {
    expect(
      normalizeRanges([
        [10, 20],
        [0, 5],
        [6, 9],
        [18, 30],
      ]),
    ).toEqual([[0, 30]]);
    expect(
      normalizeRanges([
        [0, 1],
        [3, 4],
      ]),
    ).toEqual([
      [0, 1],
      [3, 4],
    ]);
  });

  it('counts and formats', () => {
    expect(
      slotCount([
        [0, 5460],
        [5461, 10922],
      ]),
    ).toBe(10923);
    expect(
      formatRanges([
        [0, 0],
        [2, 5],
      ]),
    ).toBe('0,2-5');
    expect(rangesFromSlots([5, 3, 4, 9])).toEqual([
      [3, 5],
      [9, 9],
    ]);
    expect(rangeContains([[3, 5]], 5)).toBe(true);
    expect(rangeContains([[3, 5]], 6)).toBe(false);
  });

  it('finds the slots nobody covers', () => {
    expect(uncoveredRanges([[0, 16383]])).toEqual([]);
    expect(uncoveredRanges([])).toEqual([[0, 16383]]);
    expect(
      uncoveredRanges([
        [1, 100],
        [200, 16382],
      ]),
    ).toEqual([
      [0, 0],
      [101, 199],
      [16383, 16383],
    ]);
  });
});
