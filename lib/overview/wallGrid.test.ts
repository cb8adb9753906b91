import { describe, expect, it } from 'vitest';
import { WALL_PAGE_SIZE, wallGrid, wallPages } from './wallGrid';

describe('wallGrid', () => {
  const shapes = (n: number) => {
    const g = wallGrid(n);
    return [`${g.landscape.cols}x${g.landscape.rows}`, `${g.portrait.cols}x${g.portrait.rows}`];
  };

  it('fills a landscape screen: 1 whole, 2 halves, 3–4 quarters, 5–6 sixths; a portrait one stacked', () => {
    expect([1, 2, 3, 4, 5, 6].map(shapes)).toEqual([
      ['1x1', '1x1'],
      ['2x1', '1x2'],
      ['2x2', '1x3'],
      ['2x2', '2x2'],
      ['3x2', '2x3'],
      ['3x2', '2x3'],
    ]);
    expect(shapes(0)).toEqual(['1x1', '1x1']);
  });

  it('leaves no empty cell: the last tile spans what is left of its row, never more columns than there are', () => {
    for (let n = 1; n <= 6; n++) {
      for (const g of Object.values(wallGrid(n))) {
        expect(g.cols * g.rows - (n - 1)).toBe(g.lastSpan);
        expect(g.lastSpan).toBeLessThanOrEqual(g.cols);
      }
    }
    expect(wallGrid(3).landscape.lastSpan).toBe(2);
    expect(wallGrid(5).landscape.lastSpan).toBe(2);
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
