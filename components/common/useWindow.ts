'use client';

import { useEffect, useMemo, useRef, useState } from 'react';

/** Lists up to this long render whole (every row in the page, as the e2e tests of small clusters expect). */
export const WINDOW_ABOVE = 100;
/** Rows drawn beyond each edge of the box, so a quick scroll does not show blank space before the rows come. */
const OVERSCAN = 6;

export interface ListWindow {
  /** First row drawn, and one past the last. */
  start: number;
  end: number;
  /** Space standing for the rows not drawn above and below, px. */
  padTop: number;
  padBottom: number;
  /** Whether the list is windowed at all (longer than WINDOW_ABOVE). */
  windowed: boolean;
}

/** The first index whose row ends below `y`. */
function rowAt(tops: readonly number[], y: number): number {
  let lo = 0;
  let hi = tops.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tops[mid + 1] ?? Number.POSITIVE_INFINITY) <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The rows of a long list that a scroll box shows (plus a few either side): the rest are left out of the page and
 * stood for by padding, so a 1,000-row list costs what its visible rows cost. `heights` is each row's height in px
 * (one number: all the same), an estimate a row may exceed a little (the next rows shift, nothing is hidden).
 * Attach `box` to the element that scrolls (overflow-y: auto and a bounded height). `windowed` false draws every row.
 */
export function useWindow<E extends HTMLElement>(
  count: number,
  heights: number | readonly number[],
  windowed = count > WINDOW_ABOVE,
) {
  const box = useRef<E>(null);
  const tops = useMemo(() => {
    const out = new Array<number>(count + 1);
    out[0] = 0;
    for (let i = 0; i < count; i++)
      out[i + 1] = (out[i] ?? 0) + (typeof heights === 'number' ? heights : (heights[i] ?? 0));
    return out;
  }, [count, heights]);
  // Only a change of the rows drawn re-renders the list, not every pixel scrolled.
  const [range, setRange] = useState({ start: 0, end: Math.min(count, 40) });
  useEffect(() => {
    const el = box.current;
    if (!el || !windowed) return;
    const measure = () => {
      const rows = tops;
      const last = rows.length - 1;
      const start = Math.max(0, rowAt(rows, el.scrollTop) - OVERSCAN);
      const end = Math.min(last, rowAt(rows, el.scrollTop + el.clientHeight) + 1 + OVERSCAN);
      setRange((r) => (r.start === start && r.end === end ? r : { start, end }));
    };
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => {
      el.removeEventListener('scroll', measure);
      observer.disconnect();
    };
  }, [windowed, tops]);
  let window: ListWindow = { start: 0, end: count, padTop: 0, padBottom: 0, windowed };
  if (windowed) {
    const end = Math.min(count, range.end);
    const start = Math.min(range.start, end);
    const total = tops[count] ?? 0;
    window = { start, end, padTop: tops[start] ?? 0, padBottom: Math.max(0, total - (tops[end] ?? total)), windowed };
  }
  return { box, window };
}
