import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { onAbort, sleepUnlessAborted } from './abortWatch';

const listeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('onAbort / sleepUnlessAborted', () => {
  it('hangs one listener on a signal however many wait on it, and none once they are done', async () => {
    const controller = new AbortController();
    const sleeps = Array.from({ length: 25 }, (_, i) => sleepUnlessAborted(5 + i, controller.signal));
    expect(listeners(controller.signal)).toBe(1);
    await Promise.all(sleeps);
    expect(listeners(controller.signal)).toBe(0);
    // and again, after the signal was left bare
    const more = Array.from({ length: 12 }, () => sleepUnlessAborted(5, controller.signal));
    expect(listeners(controller.signal)).toBe(1);
    await Promise.all(more);
    expect(listeners(controller.signal)).toBe(0);
  });

  it('wakes every waiter at once on abort', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const sleeps = Array.from({ length: 15 }, () => sleepUnlessAborted(60_000, controller.signal));
    const told: number[] = [];
    const forget = onAbort(controller.signal, () => told.push(1));
    controller.abort();
    await Promise.all(sleeps);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(told).toEqual([1]);
    forget();
    expect(listeners(controller.signal)).toBe(0);
  });

  it('runs at once on an aborted signal, and a taken-back callback never runs', () => {
    const aborted = AbortSignal.abort();
    let ran = 0;
    onAbort(aborted, () => ran++);
    expect(ran).toBe(1);
    const controller = new AbortController();
    const forget = onAbort(controller.signal, () => ran++);
    forget();
    expect(listeners(controller.signal)).toBe(0);
    controller.abort();
    expect(ran).toBe(1);
  });
});
