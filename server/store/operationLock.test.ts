import { beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '@/lib/jobs/types';
import { waitFor } from '../../scripts/test/helpers';
import { deadOwner, freshStore } from '../../scripts/test/store';
import { ApiError, OperationConflictError } from '../api/errors';
import type { ClusterPoller } from '../collect/poller';
import { cancelJob, getJob, startJob } from '../jobs/registry';
import { setNodeTimeout } from '../ops/setNodeTimeout';
import { statement } from './database';
import { loadJob, saveJob } from './jobs';
import { journalFor } from './journal';
import {
  acquireOperationLock,
  operationLockOf,
  refuseIfLocked,
  releaseOperationLock,
  settleOperationLocks,
} from './operationLock';

function job(id: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    kind: 'reshard',
    clusterId: 'c1',
    startedBy: 'otto',
    state: 'running',
    startedAt: '2025-01-01T10:00:00.000Z',
    progress: { done: 0, total: 0, unit: '' },
    steps: [],
    ...overrides,
  };
}

function conflictOf(fn: () => unknown): OperationConflictError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OperationConflictError) return err;
    throw err;
  }
  throw new Error('no conflict');
}

beforeEach(freshStore);

describe('the operation lock', () => {
  it('lets one job per cluster hold it; the next gets a 409 naming the holder', () => {
    const first = job('j1');
    saveJob(first);
    acquireOperationLock('c1', first);
    acquireOperationLock('c2', job('j2', { clusterId: 'c2' }));
    const err = conflictOf(() => acquireOperationLock('c1', job('j3', { kind: 'failover', startedBy: 'ada' })));
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(409);
    expect(err.message).toBe(
      'a reshard is already running on this cluster (job j1, started by otto at 2025-01-01T10:00:00.000Z); one operation at a time per cluster',
    );
    expect(err.job).toEqual({
      id: 'j1',
      kind: 'reshard',
      state: 'running',
      startedBy: 'otto',
      startedAt: '2025-01-01T10:00:00.000Z',
    });
    expect(() => refuseIfLocked('c1')).toThrow(OperationConflictError);
    // The holder taking it again (a resume) is no conflict.
    expect(acquireOperationLock('c1', first).jobId).toBe('j1');
    expect(releaseOperationLock('c1', 'j3')).toBe(false);
    expect(releaseOperationLock('c1', 'j1')).toBe(true);
    expect(operationLockOf('c1')).toBeUndefined();
    expect(() => refuseIfLocked('c1')).not.toThrow();
  });

  it('is released when its job has ended or is gone, even if the end was written without the release', () => {
    saveJob(job('j1', { state: 'succeeded' }));
    acquireOperationLock('c1', job('j1'));
    acquireOperationLock('c2', job('gone', { clusterId: 'c2' }));
    expect(settleOperationLocks()).toEqual([]);
    expect(() => acquireOperationLock('c1', job('j2'))).not.toThrow();
  });

  it('stays with an interrupted job that touched slots, and says what to do; an interrupted failover lets go', () => {
    saveJob(job('j1'));
    acquireOperationLock('c1', job('j1'));
    journalFor('j1').append({ jobId: 'j1', slot: 7, phase: 'migrating', sourceId: 'a', targetId: 'b' });
    saveJob(job('f1', { clusterId: 'c2', kind: 'failover' }));
    acquireOperationLock('c2', job('f1', { clusterId: 'c2', kind: 'failover' }));
    // Both were left running by a dashboard process that has ended.
    statement('UPDATE jobs SET owner = ?').run(deadOwner());

    const err = conflictOf(() => acquireOperationLock('c1', job('j2', { kind: 'failover' })));
    expect(err.message).toBe(
      'a reshard was interrupted on this cluster and still holds its operation lock (job j1, started by otto at 2025-01-01T10:00:00.000Z): resume, roll it back or abandon it first',
    );
    expect(err.job.state).toBe('interrupted');
    expect(loadJob('j1')?.openSlots).toEqual([{ slot: 7, sourceId: 'a', targetId: 'b', phase: 'migrating' }]);

    expect(() => acquireOperationLock('c2', job('f2', { clusterId: 'c2', kind: 'failover' }))).not.toThrow();
    expect(loadJob('f1')?.state).toBe('interrupted');

    // Resolving the interrupted job (resume, roll back, abandon) releases it.
    releaseOperationLock('c1', 'j1');
    expect(() => acquireOperationLock('c1', job('j2'))).not.toThrow();
  });
});

describe('carrying on an interrupted job', () => {
  it('passes the interrupted job’s lock to the job that resumes it, and to no other', async () => {
    saveJob(job('j1', { state: 'interrupted' }));
    acquireOperationLock('c1', job('j1'));
    journalFor('j1').append({ jobId: 'j1', slot: 7, phase: 'migrating', sourceId: 'a', targetId: 'b' });
    const run = () => new Promise<string>(() => {});
    expect(() => startJob('failover', 'c1', 'ada', run, undefined, { exclusive: true })).toThrow(/was interrupted/);
    const resume = startJob('reshard', 'c1', 'ada', run, undefined, { exclusive: true, continues: 'j1' });
    expect(operationLockOf('c1')?.jobId).toBe(resume.id);
  });
});

describe('other changes to a held cluster', () => {
  it('refuses a cluster-node-timeout change while a job holds the cluster, before any node is touched', async () => {
    saveJob(job('j1', { kind: 'failover' }));
    acquireOperationLock('c1', job('j1', { kind: 'failover' }));
    const poller = { cluster: { id: 'c1' }, latest: undefined } as unknown as ClusterPoller;
    await expect(setNodeTimeout(poller, 5000)).rejects.toThrow(/^a failover is already running on this cluster/);
    releaseOperationLock('c1', 'j1');
    await expect(setNodeTimeout(poller, 5000)).rejects.toThrow('no snapshot of this cluster yet');
  });
});

describe('exclusive jobs', () => {
  function blocked(kind: string, clusterId = 'c1') {
    let release: (fail?: Error) => void = () => {};
    const started = startJob(
      kind,
      clusterId,
      'otto',
      () =>
        new Promise<string>((resolve, reject) => {
          release = (fail) => (fail ? reject(fail) : resolve('ok'));
        }),
      undefined,
      { exclusive: true },
    );
    return { job: started, release: (fail?: Error) => release(fail) };
  }
  const ended = (id: string) =>
    waitFor(`job ${id} to end`, async () => (getJob(id)?.state !== 'running' ? true : undefined), 2000, 5);

  it('take the lock before they start and give it back however they end', async () => {
    const a = blocked('failover');
    expect(operationLockOf('c1')?.jobId).toBe(a.job.id);
    expect(() => blocked('reshard')).toThrow(
      /a failover is already running on this cluster \(job [0-9a-f]{16}, started by otto at/,
    );
    // Another cluster is not held; a job that is not exclusive is not held back.
    const other = blocked('failover', 'c2');
    const scan = startJob('bigkeys', 'c1', 'otto', async () => 'scanned');
    await ended(scan.id);
    a.release();
    await ended(a.job.id);
    expect(getJob(a.job.id)?.state).toBe('succeeded');

    const b = blocked('reshard');
    b.release(new Error('BUSYKEY'));
    await ended(b.job.id);
    expect(getJob(b.job.id)).toMatchObject({ state: 'failed', error: 'BUSYKEY' });

    const c = blocked('reshard');
    cancelJob(c.job.id);
    c.release(new Error('stopped at a safe point'));
    await ended(c.job.id);
    expect(getJob(c.job.id)?.state).toBe('cancelled');
    expect(operationLockOf('c1')).toBeUndefined();
    other.release();
    await ended(other.job.id);
    expect(operationLockOf('c2')).toBeUndefined();
  });
});
