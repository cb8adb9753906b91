import { describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/test/helpers';
import { deadOwner } from '../../scripts/test/store';
import { OperationConflictError } from '../api/errors';
import { statement } from '../store/database';
import { loadJob, saveJob } from '../store/jobs';
import { getJob, type JobHandle, listJobs, startJob } from './registry';

/** A job that runs until `release` is called, so its steps can be read mid-way. */
function controlled<P>(params?: P) {
  let release: () => void = () => {};
  let handle: JobHandle<string> | undefined;
  const job = startJob<string, P>(
    'test',
    'c',
    'otto',
    async (h) => {
      handle = h;
      await new Promise<void>((resolve) => {
        release = resolve;
      });
      return 'ok';
    },
    params,
  );
  const h = () => {
    if (!handle) throw new Error('the job has not started');
    return handle;
  };
  return { job, h, release: () => release() };
}

describe('job registry', () => {
  it('lists every declared step from the start, pending until reached, and counts finished ones as progress', () => {
    const { job, h, release } = controlled({ replicaId: 'r' });
    expect(job.params).toEqual({ replicaId: 'r' });
    h().plan(['one', 'two', 'three']);
    expect(job.steps.map((s) => [s.name, s.state])).toEqual([
      ['one', 'pending'],
      ['two', 'pending'],
      ['three', 'pending'],
    ]);
    expect(job.steps[0]?.elapsedMs).toBeUndefined();
    expect(job.progress).toEqual({ done: 0, total: 3, unit: 'steps' });
    h().step('one', 'done');
    h().step('two', 'running');
    expect(job.steps.map((s) => s.state)).toEqual(['done', 'running', 'pending']);
    expect(job.progress).toEqual({ done: 1, total: 3, unit: 'steps' });
    // A step the plan did not name is appended, not lost.
    h().step('extra', 'skipped');
    expect(job.steps.map((s) => s.name)).toEqual(['one', 'two', 'three', 'extra']);
    expect(job.progress).toEqual({ done: 2, total: 4, unit: 'steps' });
    release();
  });

  it('times each step in ms: since the job started, and how long it ran', async () => {
    const { job, h, release } = controlled();
    h().plan(['wait']);
    h().step('wait', 'running');
    const startedAt = h().job.steps[0]?.startedAt;
    expect(startedAt).toBeDefined();
    const from = Date.now();
    await waitFor('20 ms to pass', async () => (Date.now() - from >= 20 ? true : undefined), 1000, 5);
    h().step('wait', 'running', 'still waiting');
    expect(job.steps[0]?.startedAt, 'a step starts once').toBe(startedAt);
    h().step('wait', 'done', 'over');
    const step = job.steps[0];
    expect(step?.durationMs).toBeGreaterThanOrEqual(20);
    expect(step?.elapsedMs).toBeGreaterThanOrEqual(step?.durationMs ?? 0);
    expect(step?.detail).toBe('over');
    release();
    await waitFor('the job to end', async () => (getJob(job.id)?.state === 'succeeded' ? true : undefined), 1000, 5);
  });

  it('leaves a job without a plan as before: steps appended as reached, its own progress units', () => {
    const { job, h, release } = controlled();
    expect(job.params).toBeUndefined();
    h().progress(5, 10, 'keys');
    h().step('scan', 'done');
    expect(job.steps.map((s) => [s.name, s.state])).toEqual([['scan', 'done']]);
    expect(job.progress).toEqual({ done: 5, total: 10, unit: 'keys' });
    release();
  });
});

describe('jobs in the store', () => {
  it('writes every change through, and reads ended jobs back from the store, newest first', async () => {
    const { job, h, release } = controlled({ replicaId: 'r' });
    h().plan(['one']);
    h().step('one', 'done', 'over');
    expect(loadJob(job.id)).toMatchObject({
      state: 'running',
      steps: [{ name: 'one', state: 'done', detail: 'over' }],
    });
    // Progress is pushed (and written) at most 4 times a second; the live object is what the lists show meanwhile.
    h().progress(1, 10, 'keys');
    h().progress(2, 10, 'keys');
    expect(loadJob(job.id)?.progress).toEqual({ done: 1, total: 10, unit: 'keys' });
    expect(listJobs('c').find((j) => j.id === job.id)?.progress).toEqual({ done: 2, total: 10, unit: 'keys' });
    release();
    await waitFor('the job to end', async () => (loadJob(job.id)?.state === 'succeeded' ? true : undefined), 1000, 5);
    const later = controlled();
    expect(
      listJobs('c')
        .map((j) => j.id)
        .slice(0, 2),
    ).toEqual([later.job.id, job.id]);
    expect(getJob(job.id)).toEqual(loadJob(job.id));
    expect(getJob(job.id)).not.toBe(job);
    later.release();
  });
});

describe('one running job of a kind per cluster', () => {
  /** A onePerCluster job on `clusterId` that runs until released. */
  function scan(clusterId: string) {
    let release: () => void = () => {};
    const job = startJob(
      'bigkeys',
      clusterId,
      'otto',
      () =>
        new Promise<string>((resolve) => {
          release = () => resolve('ok');
        }),
      undefined,
      { onePerCluster: true },
    );
    return { job, release: () => release() };
  }

  it('refuses a second start with the 409 naming the running job; allows it on another cluster and once it ended', async () => {
    const first = scan('one-scan');
    let refused: unknown;
    try {
      scan('one-scan');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(OperationConflictError);
    const conflict = refused as OperationConflictError;
    expect(conflict.status).toBe(409);
    expect(conflict.message).toContain(`job ${first.job.id}`);
    expect(conflict.job).toMatchObject({ id: first.job.id, kind: 'bigkeys', state: 'running', startedBy: 'otto' });
    expect(listJobs('one-scan').filter((j) => j.state === 'running')).toHaveLength(1);
    const elsewhere = scan('another-cluster');
    first.release();
    await waitFor(
      'the scan to end',
      async () => (getJob(first.job.id)?.state === 'succeeded' ? true : undefined),
      1000,
      5,
    );
    const next = scan('one-scan');
    expect(next.job.state).toBe('running');
    next.release();
    elsewhere.release();
  });

  it('does not count a job left running by a dashboard process that has stopped', () => {
    saveJob({
      id: 'orphaned-scan',
      kind: 'bigkeys',
      clusterId: 'orphan-scan',
      startedBy: 'otto',
      state: 'running',
      startedAt: new Date().toISOString(),
      progress: { done: 0, total: 0, unit: '' },
      steps: [],
    });
    statement('UPDATE jobs SET owner = ? WHERE id = ?').run(deadOwner(), 'orphaned-scan');
    const started = scan('orphan-scan');
    expect(started.job.state).toBe('running');
    expect(loadJob('orphaned-scan')?.state).toBe('interrupted');
    started.release();
  });
});
