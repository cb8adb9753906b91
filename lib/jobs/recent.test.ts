import { describe, expect, it } from 'vitest';
import { recentJobs } from './recent';

const at = (min: number) => new Date(Date.UTC(2026, 0, 1, 12, min)).toISOString();
const now = Date.parse(at(59));

describe('recentJobs', () => {
  it('keeps every running job and the newest ended one per kind that ended within the hour', () => {
    const jobs = [
      { id: 'a', kind: 'add-node', state: 'running' as const, startedAt: at(58) },
      { id: 'b', kind: 'add-node', state: 'succeeded' as const, startedAt: at(50), endedAt: at(51) },
      { id: 'c', kind: 'add-node', state: 'failed' as const, startedAt: at(40), endedAt: at(41) },
      { id: 'd', kind: 'remove-node', state: 'succeeded' as const, startedAt: at(30), endedAt: at(31) },
      { id: 'e', kind: 'reshard', state: 'running' as const, startedAt: at(57) },
    ];
    expect(recentJobs(jobs, ['add-node', 'remove-node'], now).map((j) => j.id)).toEqual(['a', 'b', 'd']);
  });

  it('drops ended jobs older than the window, and the older job of a kind when its newest is old', () => {
    const jobs = [
      { id: 'x', kind: 'move-replica', state: 'succeeded' as const, startedAt: at(0), endedAt: at(1) },
      { id: 'y', kind: 'move-replica', state: 'failed' as const, startedAt: at(0), endedAt: at(0) },
    ];
    expect(recentJobs(jobs, ['move-replica'], now, 30 * 60 * 1000)).toEqual([]);
    expect(recentJobs(undefined, ['move-replica'], now)).toEqual([]);
  });
});
