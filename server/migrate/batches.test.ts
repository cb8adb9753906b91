import { describe, expect, it } from 'vitest';
import { BatchQueue } from './batches';

const moves = (source: string, target: string, from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ slot: from + i, sourceId: source, targetId: target }));
const slots = (batch: ReturnType<BatchQueue['take']>) => batch?.map((m) => m.slot);

describe('BatchQueue', () => {
  it('slices the plan in order when nodes need not be exclusive', () => {
    const q = new BatchQueue([...moves('a', 'd', 0, 3), ...moves('b', 'd', 10, 2)], 2, false);
    expect([slots(q.take()), slots(q.take()), slots(q.take()), q.take()]).toEqual([[0, 1], [2, 10], [11], undefined]);
    expect(q.empty).toBe(true);
  });

  it('runs pairs with disjoint nodes side by side, and holds a pair whose node another pair holds', () => {
    const q = new BatchQueue([...moves('a', 'd', 0, 4), ...moves('b', 'd', 10, 2), ...moves('c', 'e', 20, 2)], 2, true);
    const first = q.take();
    expect(slots(first)).toEqual([0, 1]);
    // The same pair may have several batches in flight; b->d waits for d; c->e is free.
    expect(slots(q.take())).toEqual([2, 3]);
    expect(slots(q.take())).toEqual([20, 21]);
    expect(q.take()).toBeUndefined();
    expect(q.empty).toBe(false);
    if (first) q.done(first);
    expect(q.take()).toBeUndefined(); // a->d still has a batch in flight
    q.done(moves('a', 'd', 2, 2));
    expect(slots(q.take())).toEqual([10, 11]);
    expect(q.empty).toBe(true);
  });
});
