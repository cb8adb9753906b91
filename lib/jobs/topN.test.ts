import { describe, expect, it } from 'vitest';
import { TopN } from './topN';

describe('TopN', () => {
  it('keeps the n largest, largest first', () => {
    const top = new TopN<number>(3, (x) => x);
    for (const x of [5, 1, 9, 3, 7, 9, 2]) top.offer(x);
    expect(top.values()).toEqual([9, 9, 7]);
  });
});
