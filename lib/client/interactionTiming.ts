'use client';

import { useEffect } from 'react';

/**
 * Interactions of the cluster page timed in the page itself (read back by e2e/scale.spec.ts and visible in the
 * browser's performance panel): a mark `<name>:start` when the handler runs, a measure `<name>` once the frame that
 * shows the result has been painted.
 */
export type Interaction = 'slot-select' | 'node-filter' | 'node-open';

export function startInteraction(name: Interaction): void {
  performance.mark(`${name}:start`);
}

/**
 * Ends `name`'s measure after the next paint that follows a render with a new `shown` (and `ready`): the effect runs
 * after React's commit, requestAnimationFrame before the next paint, and a task queued from there after it.
 */
export function useInteractionPainted(name: Interaction, shown: unknown, ready = true): void {
  useEffect(() => {
    if (!ready || shown === undefined) return;
    if (performance.getEntriesByName(`${name}:start`, 'mark').length === 0) return;
    let task: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      task = setTimeout(() => {
        performance.measure(name, `${name}:start`);
        performance.clearMarks(`${name}:start`);
      }, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(task);
    };
  }, [name, shown, ready]);
}
