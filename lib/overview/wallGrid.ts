/**
 * How the wall lays its tiles out: every tile on screen at once, filling it, none smaller than a sixth of it. Past
 * WALL_PAGE_SIZE clusters the wall shows them a page at a time and turns the page on a timer.
 */

/** Tiles per page: beyond six on one screen the type gets too small to read across a room. */
export const WALL_PAGE_SIZE = 6;
/** How long each page stays up when there are several. */
export const WALL_PAGE_MS = 15_000;

export interface GridShape {
  cols: number;
  rows: number;
  /** Columns the last tile spans, so the tiles fill the grid with no empty cell. */
  lastSpan: number;
}

export interface WallGrid {
  landscape: GridShape;
  portrait: GridShape;
}

function shape(cols: number, rows: number, tiles: number): GridShape {
  return { cols, rows, lastSpan: cols * rows - tiles + 1 };
}

/**
 * Landscape: 1 → whole screen, 2 → halves side by side, 3–4 → 2×2 (a third tile spans the bottom row), 5–6 → 3×2.
 * Portrait: 2 and 3 stacked, 4 → 2×2, 5–6 → 2×3.
 */
export function wallGrid(tiles: number): WallGrid {
  const n = Math.max(1, Math.min(tiles, WALL_PAGE_SIZE));
  if (n === 1) return { landscape: shape(1, 1, n), portrait: shape(1, 1, n) };
  if (n === 2) return { landscape: shape(2, 1, n), portrait: shape(1, 2, n) };
  if (n === 3) return { landscape: shape(2, 2, n), portrait: shape(1, 3, n) };
  if (n === 4) return { landscape: shape(2, 2, n), portrait: shape(2, 2, n) };
  return { landscape: shape(3, 2, n), portrait: shape(2, 3, n) };
}

/** Pages of at most WALL_PAGE_SIZE, spread evenly (7 clusters → 4 + 3, not 6 + 1) so no page holds one lone tile. */
export function wallPages<T>(items: readonly T[]): T[][] {
  if (items.length <= WALL_PAGE_SIZE) return [items.slice()];
  const pages = Math.ceil(items.length / WALL_PAGE_SIZE);
  const per = Math.ceil(items.length / pages);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += per) out.push(items.slice(i, i + per));
  return out;
}
