import { describe, expect, it } from 'vitest';
import { failoverResultSince, masterChangeSentence, recentMasterChange, trackMaster } from './masterChanges';
import { healthySentinel, MASTER, REPLICAS } from './snapshotFixture';
import type { SentinelSnapshot } from './types';

const clock = (iso: string) => iso.slice(11, 19);

/** The deployment after the sentinels promoted `addr`, seen by the poll at `at`. */
function promoted(addr: string, at: string): SentinelSnapshot {
  const s = healthySentinel();
  const all = [...(s.master ? [s.master] : []), ...s.replicas];
  const next = all.find((n) => n.addr === addr);
  if (!next) throw new Error('fixture');
  return {
    ...s,
    collectedAt: at,
    master: { ...next, role: 'master' },
    replicas: all.filter((n) => n.addr !== addr),
  };
}

describe("the sentinels' own failover leaves a trace (T#6)", () => {
  it('a change of the named master is recorded with when, and says whose failover it was', () => {
    const first = trackMaster(undefined, healthySentinel());
    expect(first).toEqual({ last: MASTER });
    const none = trackMaster(first.last, { ...healthySentinel(), master: null });
    expect(none).toEqual({ last: MASTER });
    const moved = trackMaster(none.last, promoted(REPLICAS[0], '2026-12-05T12:01:00.000Z'));
    expect(moved.change).toEqual({ from: MASTER, to: REPLICAS[0], at: '2026-12-05T12:01:00.000Z' });
    if (!moved.change) throw new Error('no change');
    expect(masterChangeSentence(moved.change, clock)).toBe(
      `the master changed from ${MASTER} to ${REPLICAS[0]} at 12:01:00 (the sentinels’ own failover)`,
    );
    const guided = trackMaster(MASTER, promoted(REPLICAS[0], '2026-12-05T12:01:00.000Z'), 'job1');
    expect(guided.change?.guidedJobId).toBe('job1');
    expect(recentMasterChange([moved.change], Date.parse('2026-12-05T12:05:00.000Z'))).toEqual(moved.change);
    expect(recentMasterChange([moved.change], Date.parse('2026-12-05T12:12:00.000Z'))).toBeUndefined();
  });

  it("a guided failover's result is superseded when the master changed again, or its new master is down", () => {
    const result = { newMaster: REPLICAS[0], endedAt: '2026-12-05T12:00:10.000Z' };
    const held = promoted(REPLICAS[0], '2026-12-05T12:00:20.000Z');
    expect(failoverResultSince(result, held, clock)).toBeUndefined();
    // Later the sentinels failed over on their own, away from the job's new master (now down).
    const after = promoted(REPLICAS[1], '2026-12-05T12:03:00.000Z');
    after.replicas = after.replicas.map((r) => (r.addr === REPLICAS[0] ? { ...r, sentinelFlags: ['s_down'] } : r));
    after.masterChanges = [{ from: REPLICAS[0], to: REPLICAS[1], at: '2026-12-05T12:02:55.000Z' }];
    expect(failoverResultSince(result, after, clock)).toBe(
      `since then the master changed from ${REPLICAS[0]} to ${REPLICAS[1]} at 12:02:55 (the sentinels’ own failover)`,
    );
    // Without the recorded change (a restarted dashboard): the present still contradicts it.
    after.masterChanges = undefined;
    expect(failoverResultSince(result, after, clock)).toBe(`since then the sentinels name ${REPLICAS[1]} as master`);
    const down = promoted(REPLICAS[0], '2026-12-05T12:03:00.000Z');
    if (!down.master) throw new Error('fixture');
    down.master = { ...down.master, sentinelFlags: ['o_down', 's_down'] };
    expect(failoverResultSince(result, down, clock)).toBe(`since then ${REPLICAS[0]} is down (o_down, s_down)`);
  });
});
