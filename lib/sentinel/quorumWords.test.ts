import { describe, expect, it } from 'vitest';
import { failoverVote } from './deploymentView';
import { sentinelFindings } from './findings';
import { healthySentinel, withSentinelsDown } from './snapshotFixture';
import type { SentinelSnapshot } from './types';

/** The first seconds after a second sentinel stops: 1 of 3 answers, and its CKQUORUM has not noticed yet. */
function oneLeftStillSaysOk(): SentinelSnapshot {
  const s = withSentinelsDown(healthySentinel(), 2);
  s.sentinels = s.sentinels.map((v) =>
    v.reachable ? { ...v, quorum: 2, ckquorum: { ok: true, message: 'OK 3 usable Sentinels.' } } : v,
  );
  return s;
}

describe('quorum words with fewer sentinels than a failover needs (T#7)', () => {
  it('never says "their quorum check passes" with 1 of 3 answering', () => {
    const text = sentinelFindings(oneLeftStillSaysOk())
      .map((f) => f.message)
      .join(' ');
    expect(text).not.toContain('quorum check passes');
    expect(text).toMatch(/a failover is probably not possible|cannot be authorised/);
  });

  it('the Sentinels heading is not a ✓: failoverVote says no failover is possible, and why', () => {
    const vote = failoverVote(oneLeftStillSaysOk());
    expect(vote).toMatchObject({ possible: false, needed: 2, reachable: 1, total: 3 });
    expect(vote.why).toBe('only 1 of 3 sentinels answer, a failover needs 2');
    expect(failoverVote(withSentinelsDown(healthySentinel(), 1)).possible).toBe(true);
    expect(failoverVote(healthySentinel()).possible).toBe(true);
  });
});
