/**
 * How the wall lays its tiles out: every tile on screen at once, filling it, none smaller than a sixth of it. Past
 * WALL_PAGE_SIZE clusters the wall shows them a page at a time and turns the page on a timer.
 */

/** Tiles per page: beyond six on one screen the type gets too small to read across a room. */
export const WALL_PAGE_SIZE = 6;
/** How long each page stays up when there are several. */
export const WALL_PAGE_MS = 15_000;

export interface WallGrid {
  /** Columns on a landscape screen (a portrait screen swaps columns and rows). */
  cols: number;
  rows: number;
}

/** 1 → whole screen, 2 → halves side by side, 3–4 → 2×2, 5–6 → 3×2. */
export function wallGrid(tiles: number): WallGrid {
  const n = Math.max(1, Math.min(tiles, WALL_PAGE_SIZE));
  if (n === 1) return { cols: 1, rows: 1 };
  if (n === 2) return { cols: 2, rows: 1 };
  if (n <= 4) return { cols: 2, rows: 2 };
  return { cols: 3, rows: 2 };
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
