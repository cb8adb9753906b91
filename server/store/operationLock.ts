import 'server-only';
import type { LockHolder } from '@/lib/api/types';
import type { Job } from '@/lib/jobs/types';
import { OperationConflictError } from '../api/errors';
import { statement } from './database';
import { interruptOrphanedJobs, loadJob } from './jobs';
import { hasJournal } from './journal';

/** One mutating operation per cluster at a time, whatever its kind (failover, reshard, later rebalance, fix, …). */
export interface OperationLock {
  clusterId: string;
  jobId: string;
  kind: string;
  startedBy: string;
  /** ISO 8601: when the job took the lock. */
  since: string;
}

interface LockRow {
  cluster_id: string;
  job_id: string;
  kind: string;
  started_by: string;
  since: string;
}

function lockRow(clusterId: string): OperationLock | undefined {
  const row = statement('SELECT * FROM operation_locks WHERE cluster_id = ?').get(clusterId) as LockRow | undefined;
  return row
    ? { clusterId: row.cluster_id, jobId: row.job_id, kind: row.kind, startedBy: row.started_by, since: row.since }
    : undefined;
}

/**
 * Drops a lock nothing holds any more: its job is gone or ended, or was interrupted without touching a slot (a
 * failover runs to its end inside Redis; a reshard stopped before its first slot left nothing open). A job left
 * running by a dashboard process that is gone is marked interrupted first. An interrupted job that wrote to its
 * journal keeps the lock until it is resumed, rolled back or abandoned: its slots may be open.
 */
export function settleOperationLock(clusterId: string): OperationLock | undefined {
  const lock = lockRow(clusterId);
  if (!lock) return undefined;
  let job = loadJob(lock.jobId);
  if (job?.state === 'running' && interruptOrphanedJobs(clusterId).some((j) => j.id === lock.jobId))
    job = loadJob(lock.jobId);
  const keep = job?.state === 'running' || (job?.state === 'interrupted' && hasJournal(job.id));
  if (keep) return lock;
  releaseOperationLock(clusterId, lock.jobId);
  return undefined;
}

/** Settles every cluster's lock (at start-up). Returns the locks still held. */
export function settleOperationLocks(): OperationLock[] {
  const clusters = statement('SELECT cluster_id FROM operation_locks').all() as Array<{ cluster_id: string }>;
  return clusters.flatMap((c) => settleOperationLock(c.cluster_id) ?? []);
}

export function operationLockOf(clusterId: string): OperationLock | undefined {
  return settleOperationLock(clusterId);
}

function conflict(lock: OperationLock): OperationConflictError {
  const job = loadJob(lock.jobId);
  const holder: LockHolder = {
    id: lock.jobId,
    kind: lock.kind,
    state: job?.state ?? 'running',
    startedBy: lock.startedBy,
    startedAt: job?.startedAt ?? lock.since,
  };
  const who = `job ${holder.id}, started by ${holder.startedBy} at ${holder.startedAt}`;
  const message =
    holder.state === 'interrupted'
      ? `a ${holder.kind} was interrupted on this cluster and still holds its operation lock (${who}): resume, roll it back or abandon it first`
      : `a ${holder.kind} is already running on this cluster (${who}); one operation at a time per cluster`;
  return new OperationConflictError(message, holder);
}

/** Throws the 409 naming the job that holds the cluster's lock, if any does. */
export function refuseIfLocked(clusterId: string): void {
  const lock = settleOperationLock(clusterId);
  if (lock) throw conflict(lock);
}

/**
 * Takes the cluster's lock for `job`, or throws the 409 naming the job that holds it. Taking it again for the job
 * that holds it succeeds (resume takes the lock its interrupted job kept). Inside a transaction, a conflict rolls back
 * what settling the old lock wrote: settle first (settleOperationLock) where that matters.
 */
export function acquireOperationLock(
  clusterId: string,
  job: Pick<Job, 'id' | 'kind' | 'startedBy' | 'startedAt'>,
): OperationLock {
  const held = settleOperationLock(clusterId);
  if (held && held.jobId !== job.id) throw conflict(held);
  if (held) return held;
  const lock: OperationLock = {
    clusterId,
    jobId: job.id,
    kind: job.kind,
    startedBy: job.startedBy,
    since: new Date().toISOString(),
  };
  // Atomic against another dashboard process on the same data folder: the first insert wins.
  const inserted = statement(
    `INSERT INTO operation_locks (cluster_id, job_id, kind, started_by, since) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (cluster_id) DO NOTHING`,
  ).run(clusterId, lock.jobId, lock.kind, lock.startedBy, lock.since).changes;
  if (inserted === 0) {
    const winner = lockRow(clusterId);
    if (winner && winner.jobId !== job.id) throw conflict(winner);
    return winner ?? lock;
  }
  return lock;
}

/** Releases the lock if `jobId` holds it (the job ended, or its interrupted state was resolved). */
export function releaseOperationLock(clusterId: string, jobId: string): boolean {
  return statement('DELETE FROM operation_locks WHERE cluster_id = ? AND job_id = ?').run(clusterId, jobId).changes > 0;
}
