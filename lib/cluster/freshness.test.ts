import { describe, expect, it } from 'vitest';
import { freshness } from './freshness';

describe('freshness', () => {
  const base = { receivedAt: 10_000, pollIntervalMs: 1000 };
  it('is fresh right after a poll', () => {
    expect(freshness({ ...base, ageAtReceiptMs: 300, now: 10_200 }).state).toBe('fresh');
  });
  it('lags after two missed polls and goes stale after five seconds', () => {
    expect(freshness({ ...base, ageAtReceiptMs: 300, now: 13_000 }).state).toBe('lagging');
    const stale = freshness({ ...base, ageAtReceiptMs: 300, now: 16_000 });
    expect(stale.state).toBe('stale');
    expect(stale.since.getTime()).toBe(10_000 - 300);
  });
  it('counts a snapshot the server already served old', () => {
    expect(freshness({ ...base, ageAtReceiptMs: 9000, now: 10_000 }).state).toBe('stale');
  });
});
