import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './rateLimit';

describe('FailureLimiter', () => {
  it('refuses after the limit and lets the key in again when failures age out', () => {
    const limiter = new FailureLimiter(3, 60_000);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('ann', i * 1000)).toBe(0);
      limiter.fail('ann', i * 1000);
    }
    expect(limiter.retryAfter('ann', 3000)).toBe(57);
    expect(limiter.retryAfter('bob', 3000)).toBe(0);
    expect(limiter.retryAfter('ann', 60_001)).toBe(0);
  });

  it('forgets a key on success', () => {
    const limiter = new FailureLimiter(1, 60_000);
    limiter.fail('ann', 0);
    limiter.reset('ann');
    expect(limiter.retryAfter('ann', 1)).toBe(0);
  });
});
