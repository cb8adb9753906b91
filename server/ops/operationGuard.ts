import 'server-only';
import type { PreCheck } from '@/lib/failover/prechecks';
import { isSlotMoving, type Job } from '@/lib/jobs/types';
import { ApiError } from '../api/errors';
import { listJobs } from '../jobs/registry';

/** A job that holds the cluster: running, or a slot-moving job (not a fix) left interrupted or failed with slots open. */
export function holdingJob(clusterId: string, except?: string): Job | undefined {
  return listJobs(clusterId).find(
    (j) =>
      j.id !== except &&
      (j.state === 'running' ||
        (isSlotMoving(j) &&
          // What a fix leaves open is fixed by running the fix again, so it never holds the cluster once ended.
          j.kind !== 'fix' &&
          (j.state === 'interrupted' || j.state === 'failed') &&
          (j.openSlots?.length ?? 0) > 0)),
  );
}

/**
 * One mutating operation per cluster at a time. Refuses (409) naming the job that holds the cluster. Stands in for the
 * store's per-cluster operation lock until it is wired here.
 */
export function assertNoOperationRunning(clusterId: string, except?: string): void {
  const job = holdingJob(clusterId, except);
  if (!job) return;
  const what =
    job.state === 'running'
      ? 'is running'
      : `left ${job.openSlots?.length ?? 0} slot(s) open: resume or roll it back first`;
  throw new ApiError('conflict', `${job.kind} job ${job.id} started by ${job.startedBy} at ${job.startedAt} ${what}`);
}

/** 409 naming every failing pre-flight check, as each operation's start refuses. */
export function assertChecksPass(checks: readonly PreCheck[]): void {
  const failed = checks.filter((c) => c.status === 'fail').map((c) => `${c.name} (${c.value})`);
  if (failed.length) throw new ApiError('conflict', `pre-flight failed: ${failed.join('; ')}`);
}
