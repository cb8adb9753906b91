import { beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '@/lib/jobs/types';
import { waitFor } from '../../scripts/test/helpers';
import { deadOwner, freshStore } from '../../scripts/test/store';
import { statement } from './database';
import {
  interruptOrphanedJobs,
  JOBS_KEPT_DAYS,
  listStoredJobs,
  loadJob,
  pruneJobs,
  runningJobOf,
  saveJob,
} from './jobs';
import { inOneCommit, journalFor } from './journal';

function job(id: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'reshard',
    clusterId: 'c1',
    startedBy: 'otto',
    state: 'running',
    startedAt: new Date(
      Date.parse('2025-01-01T00:00:00Z') + Number.parseInt(id.replace(/\D/g, '') || '0', 10) * 1000,
    ).toISOString(),
    progress: { done: 0, total: 0, unit: '' },
    steps: [],
    ...overrides,
  };
}

/** Makes the stored row look written by a process that has ended. */
function orphan(id: string): void {
  statement('UPDATE jobs SET owner = ? WHERE id = ?').run(deadOwner(), id);
}

beforeEach(freshStore);

describe('stored jobs', () => {
  it('round-trips a job and lists a cluster newest first, up to a limit', () => {
    saveJob(job('j1', { params: { target: 'n1' }, steps: [{ name: 'scan', state: 'done', at: 'x' }] }));
    saveJob(job('j2'));
    saveJob(job('j3', { clusterId: 'c2' }));
    saveJob(job('j1', { state: 'succeeded', result: { slotsMoved: 3 } }));
    expect(loadJob('j1')).toMatchObject({ state: 'succeeded', result: { slotsMoved: 3 } });
    expect(loadJob('nope')).toBeUndefined();
    expect(listStoredJobs('c1').map((j) => j.id)).toEqual(['j2', 'j1']);
    expect(listStoredJobs(undefined, 2).map((j) => j.id)).toEqual(['j3', 'j2']);
  });

  it('keeps the newest jobs of a cluster and their journals; never deletes running or interrupted ones', () => {
    for (let i = 1; i <= 6; i++) saveJob(job(`j${i}`, { state: i === 1 ? 'interrupted' : 'succeeded' }));
    saveJob(job('j0', { state: 'running' }));
    journalFor('j2').append({ jobId: 'j2', slot: 1, phase: 'done', sourceId: 'a', targetId: 'b' });
    expect(pruneJobs('c1', 3, Date.parse('2025-01-02T00:00:00Z'))).toBe(2);
    expect(listStoredJobs('c1').map((j) => j.id)).toEqual(['j6', 'j5', 'j4', 'j1', 'j0']);
    expect(journalFor('j2').entries('j2')).toEqual([]);
  });

  it('deletes ended jobs older than JOBS_KEPT_DAYS however few there are; never running or interrupted ones', () => {
    const day = 86_400_000;
    const now = Date.parse('2025-06-01T00:00:00Z');
    const at = (daysAgo: number) => new Date(now - daysAgo * day).toISOString();
    saveJob(job('old-ok', { state: 'succeeded', startedAt: at(JOBS_KEPT_DAYS + 1) }));
    saveJob(job('old-failed', { state: 'failed', startedAt: at(JOBS_KEPT_DAYS + 5) }));
    saveJob(job('old-running', { state: 'running', startedAt: at(JOBS_KEPT_DAYS + 5) }));
    saveJob(job('old-interrupted', { state: 'interrupted', startedAt: at(JOBS_KEPT_DAYS + 5) }));
    saveJob(job('recent', { state: 'succeeded', startedAt: at(JOBS_KEPT_DAYS - 1) }));
    saveJob(job('other-cluster', { clusterId: 'c2', state: 'succeeded', startedAt: at(JOBS_KEPT_DAYS + 1) }));
    expect(pruneJobs('c1', 1000, now)).toBe(2);
    expect(
      listStoredJobs('c1')
        .map((j) => j.id)
        .sort(),
    ).toEqual(['old-interrupted', 'old-running', 'recent']);
    expect(loadJob('other-cluster')).toBeDefined();
  });

  it('finds the running job of a kind on a cluster', () => {
    saveJob(job('j1', { kind: 'bigkeys', state: 'succeeded' }));
    expect(runningJobOf('c1', 'bigkeys')).toBeUndefined();
    saveJob(job('j2', { kind: 'bigkeys' }));
    saveJob(job('j3', { kind: 'reshard' }));
    expect(runningJobOf('c1', 'bigkeys')?.id).toBe('j2');
    expect(runningJobOf('c2', 'bigkeys')).toBeUndefined();
  });

  it('turns jobs left running by an ended process into interrupted ones, with the slots their journal leaves open', () => {
    saveJob(job('j1'));
    saveJob(job('j2'));
    saveJob(job('j3', { state: 'succeeded' }));
    const journal = journalFor('j1');
    journal.append({ jobId: 'j1', slot: 10, phase: 'planned', sourceId: 'a', targetId: 'b' });
    journal.append({ jobId: 'j1', slot: 11, phase: 'planned', sourceId: 'a', targetId: 'b' });
    journal.append({ jobId: 'j1', slot: 12, phase: 'planned', sourceId: 'a', targetId: 'b' });
    journal.append({ jobId: 'j1', slot: 10, phase: 'importing', sourceId: 'a', targetId: 'b' });
    journal.append({ jobId: 'j1', slot: 10, phase: 'migrating', sourceId: 'a', targetId: 'b' });
    journal.append({ jobId: 'j1', slot: 11, phase: 'done', sourceId: 'a', targetId: 'b', keys: 7 });
    orphan('j1');
    orphan('j3');

    const found = interruptOrphanedJobs();
    expect(found.map((j) => j.id)).toEqual(['j1']);
    const stored = loadJob('j1');
    expect(stored?.state).toBe('interrupted');
    expect(stored?.endedAt).toBeDefined();
    expect(stored?.error).toMatch(
      /^the dashboard stopped while this job ran \(last heard of at .+, found at .+\); it did not finish$/,
    );
    expect(stored?.openSlots).toEqual([{ slot: 10, sourceId: 'a', targetId: 'b', phase: 'migrating' }]);
    // This process's own running job is alive; an ended one is left as it was.
    expect(loadJob('j2')?.state).toBe('running');
    expect(loadJob('j3')?.state).toBe('succeeded');
    expect(interruptOrphanedJobs()).toEqual([]);
  });
});

describe('the journal', () => {
  it('returns a job’s entries in the order written, with their time', () => {
    const journal = journalFor('j1');
    journal.append({ jobId: 'j1', slot: 5, phase: 'importing', sourceId: 'a', targetId: 'b' });
    journalFor('j2').append({ jobId: 'j2', slot: 6, phase: 'importing', sourceId: 'a', targetId: 'b' });
    journal.append({ jobId: 'j1', slot: 5, phase: 'keys_moved', sourceId: 'a', targetId: 'b', keys: 42, detail: 'x' });
    const entries = journal.entries('j1');
    expect(entries.map(({ at: _, ...e }) => e)).toEqual([
      { jobId: 'j1', slot: 5, phase: 'importing', sourceId: 'a', targetId: 'b' },
      { jobId: 'j1', slot: 5, phase: 'keys_moved', sourceId: 'a', targetId: 'b', keys: 42, detail: 'x' },
    ]);
    expect(Date.parse(entries[0]?.at ?? '')).not.toBeNaN();
  });

  it('refuses an entry of another job', () => {
    expect(() =>
      journalFor('j1').append({ jobId: 'j2', slot: 1, phase: 'planned', sourceId: 'a', targetId: 'b' }),
    ).toThrow(/journal of job j1 given an entry of job j2/);
  });
});

describe('writing the journal', () => {
  it('commits several lines at once, or none when the batch throws', () => {
    const journal = journalFor('j1');
    inOneCommit(() => {
      for (const slot of [1, 2, 3])
        journal.append({ jobId: 'j1', slot, phase: 'planned', sourceId: 'a', targetId: 'b' });
    });
    expect(() =>
      inOneCommit(() => {
        journal.append({ jobId: 'j1', slot: 4, phase: 'planned', sourceId: 'a', targetId: 'b' });
        throw new Error('the engine stopped');
      }),
    ).toThrow('the engine stopped');
    expect(journal.entries('j1').map((e) => e.slot)).toEqual([1, 2, 3]);
  });

  it('holds appendLater lines until a flush (or the next turn) commits them together, in order with append', async () => {
    const journal = journalFor('j2');
    const stored = () =>
      (
        statement('SELECT slot, phase FROM journal WHERE job_id = ? ORDER BY id').all('j2') as Array<{ slot: number }>
      ).map((r) => r.slot);
    journal.appendLater?.({ jobId: 'j2', slot: 1, phase: 'sending', sourceId: 'a', targetId: 'b' });
    journal.appendLater?.({ jobId: 'j2', slot: 2, phase: 'sending', sourceId: 'a', targetId: 'b' });
    expect(stored()).toEqual([]);
    journal.flush?.();
    expect(stored()).toEqual([1, 2]);
    journal.appendLater?.({ jobId: 'j2', slot: 3, phase: 'importing', sourceId: 'a', targetId: 'b' });
    // A line written at once commits the held ones before it.
    journal.append({ jobId: 'j2', slot: 4, phase: 'failed', sourceId: 'a', targetId: 'b' });
    expect(stored()).toEqual([1, 2, 3, 4]);
    journal.appendLater?.({ jobId: 'j2', slot: 5, phase: 'done', sourceId: 'a', targetId: 'b' });
    expect(journal.entries('j2').map((e) => e.slot)).toEqual([1, 2, 3, 4, 5]);
    journal.appendLater?.({ jobId: 'j2', slot: 6, phase: 'keys_moved', sourceId: 'a', targetId: 'b' }, true);
    // Only lazy lines held: a flush for urgent ones leaves them.
    journal.flush?.(true);
    expect(stored()).toEqual([1, 2, 3, 4, 5]);
    journal.appendLater?.({ jobId: 'j2', slot: 7, phase: 'sending', sourceId: 'a', targetId: 'b' });
    journal.flush?.(true);
    expect(stored()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    journal.appendLater?.({ jobId: 'j2', slot: 8, phase: 'keys_moved', sourceId: 'a', targetId: 'b' }, true);
    await waitFor('the held line to be written', async () => (stored().length === 8 ? true : undefined), 2000, 20);
    expect(stored()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
