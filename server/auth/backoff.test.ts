import { describe, expect, it } from 'vitest';
import { FailureBackoff, retryAfterSeconds } from './backoff';

const policy = { freeFailures: 3, firstDelayMs: 1000, maxDelayMs: 8000, forgetAfterMs: 60_000, maxKeys: 100 };

describe('FailureBackoff', () => {
  it('lets the free failures through, then doubles the wait per failure up to the cap', () => {
    const backoff = new FailureBackoff(policy);
    const waits: number[] = [];
    let now = 0;
    for (let i = 0; i < 8; i++) {
      expect(backoff.retryAfterMs('ann', now)).toBe(0);
      waits.push(backoff.fail('ann', now));
      now += waits[i] ?? 0;
    }
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 8000]);
    expect(backoff.retryAfterMs('ann', now - 1)).toBe(1);
    expect(backoff.retryAfterMs('ann', now)).toBe(0);
  });

  it('keeps keys apart: one key backing off does not hold back another', () => {
    const backoff = new FailureBackoff(policy);
    for (let i = 0; i < 10; i++) backoff.fail('attacker', 0);
    expect(backoff.retryAfterMs('attacker', 1)).toBeGreaterThan(0);
    expect(backoff.retryAfterMs('admin', 1)).toBe(0);
  });

  it('forgets a key after a quiet period, and at once on reset', () => {
    const backoff = new FailureBackoff(policy);
    for (let i = 0; i < 5; i++) backoff.fail('ann', 0);
    expect(backoff.fail('ann', 59_999)).toBe(4000);
    expect(backoff.fail('ann', 59_999 + 60_000)).toBe(0);
    backoff.fail('bob', 0);
    backoff.fail('bob', 0);
    backoff.fail('bob', 0);
    backoff.reset('bob');
    expect(backoff.fail('bob', 0)).toBe(0);
  });

  it('keeps at most maxKeys, dropping the key that failed least recently', () => {
    const backoff = new FailureBackoff({ ...policy, maxKeys: 3 });
    for (let i = 0; i < 4; i++) backoff.fail('old', 0);
    for (let i = 0; i < 4; i++) backoff.fail('kept', 1);
    for (let i = 0; i < 1000; i++) backoff.fail(`name-${i}`, 2);
    expect(backoff.size).toBe(3);
    expect(backoff.retryAfterMs('old', 3)).toBe(0);
    for (let i = 0; i < 4; i++) backoff.fail('kept', 3);
    backoff.fail('x', 4);
    backoff.fail('y', 4);
    expect(backoff.retryAfterMs('kept', 4)).toBeGreaterThan(0);
  });

  it('rounds a wait up to whole seconds for Retry-After', () => {
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1000)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
  });
});
