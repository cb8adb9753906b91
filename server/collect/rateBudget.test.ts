import { describe, expect, it } from 'vitest';
import { RateBudget } from './rateBudget';

describe('RateBudget', () => {
  it('never grants more than the limit in any window, however often it is asked', () => {
    const budget = new RateBudget(100, 1000);
    const grants: Array<[number, number]> = [];
    // Asked every 7 ms for 15 at a time, for 5 s: a drifting timer asking for more than its share.
    for (let at = 0; at < 5000; at += 7) grants.push([at, budget.take(at, 15)]);
    for (let start = 0; start < 5000; start += 7) {
      const inWindow = grants.filter(([at]) => at >= start && at < start + 1000).reduce((s, [, n]) => s + n, 0);
      expect(inWindow).toBeLessThanOrEqual(100);
    }
    expect(grants.reduce((s, [, n]) => s + n, 0)).toBeGreaterThanOrEqual(400);
  });

  it('grants again once the window has passed', () => {
    const budget = new RateBudget(10, 1000);
    expect(budget.take(0, 25)).toBe(10);
    expect(budget.take(999, 1)).toBe(0);
    expect(budget.take(1000, 4)).toBe(4);
  });
});
