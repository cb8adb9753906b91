import { describe, expect, it } from 'vitest';
import { electionDeadlineMs, electionHistory, electionRetryMs, electionWaits, voteWaitMs } from './electionTiming';

describe('election timing', () => {
  it("uses the server's manual failover timeout plus a margin, not the node timeout", () => {
    expect(electionDeadlineMs({ clusterConfig: { 'cluster-node-timeout': '15000' } })).toBe(8000);
    expect(electionDeadlineMs({ clusterConfig: { 'cluster-manual-failover-timeout': '2000' } })).toBe(5000);
    expect(electionDeadlineMs(undefined)).toBe(8000);
  });

  it('follows Redis: retry 2 x max(2 x node-timeout, 2 s), votes 2 x node-timeout', () => {
    expect(electionRetryMs(15_000)).toBe(60_000);
    expect(electionRetryMs(500)).toBe(4000);
    expect(voteWaitMs(1000)).toBe(2000);
  });

  it('reads the timeline: who was promoted, and whose replica the masters last voted for', () => {
    const now = Date.parse('2025-01-01T00:01:00Z');
    const events = [
      { at: '2025-01-01T00:00:00Z', kind: 'failover', nodeIds: ['r', 'm'] },
      { at: '2025-01-01T00:00:50Z', kind: 'node_fail', nodeIds: ['r'] },
    ];
    expect(electionHistory(events, 'r', 'x', now)).toEqual({ sinceElectedMs: 60_000 });
    // Failing back: the old master (now replica of r) ran no election, and no replica of r was voted for.
    expect(electionHistory(events, 'm', 'r', now)).toEqual({});
    expect(electionHistory(events, 'other', 'm', now)).toEqual({ sinceVoteForMasterMs: 60_000 });
    expect(electionWaits({ sinceElectedMs: 1000, sinceVoteForMasterMs: 1000 }, 1000).map((w) => w.waitMs)).toEqual([
      3000, 1000,
    ]);
  });
});
