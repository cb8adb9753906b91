import { describe, expect, it } from 'vitest';
import { freshness } from '../cluster/freshness';
import { staleFailoverReason } from './failoverStale';

describe('the guided failover on stale data', () => {
  it('is refused with the age and what to wait for; fresh or lagging data is not', () => {
    const at = (ageMs: number) => freshness({ ageAtReceiptMs: ageMs, receivedAt: 0, now: 0, pollIntervalMs: 1000 });
    expect(staleFailoverReason(at(12_400))).toBe('the data is 12 s old; wait for a fresh poll');
    expect(staleFailoverReason(at(3000))).toBeUndefined();
    expect(staleFailoverReason(at(0))).toBeUndefined();
    expect(staleFailoverReason(undefined)).toBeUndefined();
  });
});
