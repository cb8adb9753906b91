import type { CSSProperties } from 'react';
import { formatTimeOfDay } from '@/lib/format';

/** Shared recharts styling, from the CSS variables of the dark theme (legible on a wall screen). */
export const chartStyle = {
  axis: { stroke: 'var(--muted)', fontSize: 12 },
  grid: { stroke: 'var(--border)', strokeDasharray: '3 3' },
  tooltip: {
    contentStyle: {
      background: 'var(--panel)',
      border: '1px solid var(--border)',
      color: 'var(--text)',
      fontSize: 12,
    } satisfies CSSProperties,
    labelStyle: { color: 'var(--muted)' } satisfies CSSProperties,
  },
} as const;

/**
 * Room around the plot: the top y tick's label is centred on the plot's top edge and the last x tick's on its right
 * edge, so without it both are cut in half.
 */
export const chartMargin = { top: 12, right: 24, bottom: 0, left: 4 } as const;

export function clockTick(t: number): string {
  return formatTimeOfDay(new Date(t));
}

/** A tick formatter whose labels never wrap: recharts breaks tick text at spaces ("48 KiB/s" over two lines). */
export const unbroken =
  (format: (v: number) => string) =>
  (v: number): string =>
    format(v).replace(/ /g, '\u00a0');
