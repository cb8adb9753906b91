'use client';

import { type ReactNode, type RefObject, useEffect, useRef, useState } from 'react';

interface Overflow {
  /** Columns hidden to the left (scrolled away). */
  left: boolean;
  /** Columns hidden to the right. */
  right: boolean;
}

/** Whether the box's content sticks out to either side, kept current on scroll and on any size change. */
function useOverflow() {
  const box = useRef<HTMLDivElement>(null);
  const [overflow, setOverflow] = useState<Overflow>({ left: false, right: false });
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      const left = el.scrollLeft > 1;
      const right = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
      setOverflow((o) => (o.left === left && o.right === right ? o : { left, right }));
    };
    measure();
    el.addEventListener('scroll', measure, { passive: true });
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    if (el.firstElementChild) observer.observe(el.firstElementChild);
    return () => {
      el.removeEventListener('scroll', measure);
      observer.disconnect();
    };
  }, []);
  return { box, overflow };
}

/**
 * A box that scrolls sideways when its content (a wide table) does not fit, and says so: a shade on each side that has
 * hidden content and a line under the box. `data-more-left` / `data-more-right` on the outer element let children
 * (a column pinned to the right, `group-data-[more-right=true]:…`) draw their own edge; `pinnedRight` leaves the
 * right side to such a column.
 */
export function SideScroll({
  children,
  pinnedRight = false,
  testId,
  boxRef,
  tall = false,
}: {
  children: ReactNode;
  pinnedRight?: boolean;
  testId?: string;
  /** Given the element that scrolls (a windowed list watches its scroll position). */
  boxRef?: RefObject<HTMLDivElement | null>;
  /** Scrolls up and down too, in a box of at most 70 % of the window's height (a long, windowed list). */
  tall?: boolean;
}) {
  const { box, overflow } = useOverflow();
  const scrolls = overflow.left || overflow.right;
  return (
    <div className="space-y-1">
      <div
        className="group relative"
        data-testid={testId}
        data-more-left={String(overflow.left)}
        data-more-right={String(overflow.right)}
      >
        <div
          ref={(el) => {
            box.current = el;
            if (boxRef) boxRef.current = el;
          }}
          className={`overflow-x-auto rounded-lg border border-border ${tall ? 'max-h-[70vh] overflow-y-auto' : ''}`}
          data-testid={testId ? `${testId}-scroller` : undefined}
        >
          {children}
        </div>
        {overflow.left && (
          <div
            aria-hidden="true"
            className="pointer-events-none absolute inset-y-px left-px w-6 rounded-l-lg bg-linear-to-r from-black/70 to-transparent"
          />
        )}
        {overflow.right && !pinnedRight && (
          <div
            aria-hidden="true"
            className="pointer-events-none absolute inset-y-px right-px w-6 rounded-r-lg bg-linear-to-l from-black/70 to-transparent"
          />
        )}
      </div>
      {scrolls && (
        <p className="text-xs text-muted" data-testid={testId ? `${testId}-scroll-hint` : undefined}>
          {overflow.right ? 'More columns to the right: scroll the table sideways (shift + wheel, or swipe).' : ''}
          {overflow.left && !overflow.right ? 'Scrolled to the last column; more columns to the left.' : ''}
          {pinnedRight ? ' The actions column stays in view.' : ''}
        </p>
      )}
    </div>
  );
}
