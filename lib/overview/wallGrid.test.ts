import { describe, expect, it } from 'vitest';
import { WALL_PAGE_SIZE, wallGrid, wallPages } from './wallGrid';

describe('wallGrid', () => {
  it('fills the screen: 1 whole, 2 halves, 3–4 quarters, 5–6 sixths', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => wallGrid(n))).toEqual([
      { cols: 1, rows: 1 },
      { cols: 2, rows: 1 },
      { cols: 2, rows: 2 },
      { cols: 2, rows: 2 },
      { cols: 3, rows: 2 },
      { cols: 3, rows: 2 },
    ]);
    expect(wallGrid(0)).toEqual({ cols: 1, rows: 1 });
  });
});

describe('wallPages', () => {
  it('keeps up to six on one page', () => {
    expect(wallPages([1, 2, 3])).toEqual([[1, 2, 3]]);
    expect(wallPages([])).toEqual([[]]);
  });

  it('spreads more clusters evenly over pages of at most six', () => {
    const seven = [1, 2, 3, 4, 5, 6, 7];
    expect(wallPages(seven)).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7],
    ]);
    const many = Array.from({ length: 20 }, (_, i) => i);
    const pages = wallPages(many);
    expect(pages.flat()).toEqual(many);
    expect(Math.max(...pages.map((p) => p.length))).toBeLessThanOrEqual(WALL_PAGE_SIZE);
    expect(pages).toHaveLength(4);
  });
});
