import { describe, expect, it } from 'vitest';
import { StreamSlots } from './streamSlots';

describe('StreamSlots', () => {
  it('refuses a principal past its cap while others still get slots', () => {
    const slots = new StreamSlots(2, 10);
    expect('release' in slots.acquire('user:ann')).toBe(true);
    expect('release' in slots.acquire('user:ann')).toBe(true);
    expect(slots.acquire('user:ann')).toEqual({ refused: 'principal' });
    expect('release' in slots.acquire('user:bob')).toBe(true);
    expect([slots.count(), slots.count('user:ann'), slots.count('user:bob')]).toEqual([3, 2, 1]);
  });

  it('refuses everyone past the total', () => {
    const slots = new StreamSlots(5, 2);
    slots.acquire('a');
    slots.acquire('b');
    expect(slots.acquire('c')).toEqual({ refused: 'total' });
  });

  it('gives a slot back once, however often release is called', () => {
    const slots = new StreamSlots(1, 10);
    const first = slots.acquire('user:ann');
    if (!('release' in first)) throw new Error('refused');
    const other = slots.acquire('user:bob');
    first.release();
    first.release();
    expect([slots.count(), slots.count('user:ann')]).toEqual([1, 0]);
    expect('release' in slots.acquire('user:ann')).toBe(true);
    expect('release' in other).toBe(true);
  });
});
