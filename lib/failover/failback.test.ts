import { describe, expect, it } from 'vitest';
import type { SnapshotNode } from '../cluster/types';
import { healthy, id, withNode } from '../findings/snapshotFixture';
import type { FailoverJob, Job } from '../jobs/types';
import { failbackFor, RECENT_FAILOVER_MS, recentFailover } from './failback';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const iso = (msAgo: number) => new Date(NOW - msAgo).toISOString();

function job(over: Partial<FailoverJob> = {}): FailoverJob {
  return {
    id: 'j1',
    kind: 'failover',
    clusterId: 'c',
    startedBy: 'otto',
    state: 'succeeded',
    startedAt: iso(60_000),
    endedAt: iso(55_000),
    progress: { done: 7, total: 7, unit: 'steps' },
    steps: [],
    params: { replicaId: id(4), oldMasterId: id(1), mode: 'default' },
    result: { replicaId: id(4), oldMasterId: id(1), mode: 'default', timings: {}, notes: [] },
    ...over,
  };
}

/** The fixture's shard 1 after promoting node 4: 4 is master, 1 its replica. */
function swapped(): SnapshotNode[] {
  let s = withNode(healthy(), 4, { role: 'master', masterId: null, flags: ['master'], slots: [[0, 5460]] });
  s = withNode(s, 1, { role: 'replica', masterId: id(4), flags: ['slave'], slots: [] });
  return s.nodes;
}

describe('recentFailover', () => {
  const bigKeys: Job = { ...job({ id: 'b', startedAt: iso(1000) }), kind: 'bigkeys' };

  it('takes the latest failover job, running or ended within 10 minutes', () => {
    const older = job({ id: 'old', startedAt: iso(120_000), endedAt: iso(110_000) });
    const running = job({ id: 'run', state: 'running', startedAt: iso(5000), endedAt: undefined });
    expect(recentFailover([older, bigKeys, running], NOW)?.id).toBe('run');
    expect(recentFailover([bigKeys, older], NOW)?.id).toBe('old');
  });

  it('forgets a failover that ended more than 10 minutes ago, and reports none without jobs', () => {
    const stale = job({ startedAt: iso(RECENT_FAILOVER_MS + 5000), endedAt: iso(RECENT_FAILOVER_MS + 1) });
    expect(recentFailover([stale], NOW)).toBeUndefined();
    expect(recentFailover(undefined, NOW)).toBeUndefined();
    expect(recentFailover([bigKeys], NOW)).toBeUndefined();
  });

  it('keeps a running failover whatever its age', () => {
    const long = job({ state: 'running', startedAt: iso(RECENT_FAILOVER_MS * 2), endedAt: undefined });
    expect(recentFailover([long], NOW)?.id).toBe('j1');
  });
});

describe('failbackFor', () => {
  it('offers to promote the old master back while it is a healthy replica of the promoted node', () => {
    expect(failbackFor(job(), swapped())).toEqual({ offer: true, oldMasterId: id(1), newMasterId: id(4) });
  });

  it('says nothing before the job succeeded', () => {
    expect(failbackFor(job({ state: 'running' }), swapped())).toBeUndefined();
    expect(failbackFor(job({ state: 'failed' }), swapped())).toBeUndefined();
  });

  it('offers nothing once the roles are back (the old master is a master again)', () => {
    expect(failbackFor(job(), healthy().nodes)).toMatchObject({
      offer: false,
      reason: expect.stringMatching(/Roles are back/),
    });
  });

  it('offers nothing after a failback', () => {
    const back = job({
      id: 'j2',
      params: { replicaId: id(1), oldMasterId: id(4), mode: 'default', failbackOf: 'j1' },
      result: { replicaId: id(1), oldMasterId: id(4), mode: 'default', timings: {}, notes: [] },
    });
    // Node 4 is a healthy replica of node 1 again: a naive rule would offer to "fail back" the failback.
    expect(failbackFor(back, healthy().nodes)).toMatchObject({
      offer: false,
      reason: expect.stringMatching(/failback/),
    });
  });

  it('offers nothing when the old master is down, unreachable, gone or follows another master', () => {
    const nodes = swapped();
    const edit = (change: Partial<SnapshotNode>) => nodes.map((n) => (n.id === id(1) ? { ...n, ...change } : n));
    expect(failbackFor(job(), edit({ flags: ['slave', 'fail'] }))).toMatchObject({
      reason: expect.stringMatching(/FAIL/),
    });
    expect(failbackFor(job(), edit({ reachable: false }))).toMatchObject({
      reason: expect.stringMatching(/does not answer/),
    });
    expect(failbackFor(job(), edit({ masterId: id(2) }))).toMatchObject({
      reason: expect.stringMatching(/replicates from/),
    });
    expect(
      failbackFor(
        job(),
        nodes.filter((n) => n.id !== id(1)),
      ),
    ).toMatchObject({
      reason: expect.stringMatching(/no longer a member/),
    });
  });
});
