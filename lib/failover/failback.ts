import type { SnapshotNode } from '../cluster/types';
import { nodeName } from '../findings/describe';
import type { FailoverJob, Job } from '../jobs/types';
import { flaggedFail, flaggedPfail } from './clusterView';

/** A finished failover stays on the cluster page (with its result and "Fail back") this long after it ended. */
export const RECENT_FAILOVER_MS = 10 * 60_000;

/** The cluster's latest failover job, while it runs or for RECENT_FAILOVER_MS after it ended. */
export function recentFailover(jobs: Job[] | undefined, now: number): FailoverJob | undefined {
  const latest = (jobs ?? [])
    .filter((j) => j.kind === 'failover')
    .reduce<Job | undefined>((a, b) => (a && Date.parse(a.startedAt) >= Date.parse(b.startedAt) ? a : b), undefined);
  if (!latest) return undefined;
  if (latest.state === 'running') return latest as FailoverJob;
  const ended = Date.parse(latest.endedAt ?? '');
  return Number.isFinite(ended) && now - ended < RECENT_FAILOVER_MS ? (latest as FailoverJob) : undefined;
}

export type Failback =
  /** Promote `oldMasterId` (a replica of `newMasterId` now) back: the roles before the job. */
  | { offer: true; oldMasterId: string; newMasterId: string }
  /** Why not, in one sentence. */
  | { offer: false; reason: string };

/**
 * Whether to offer to undo a failover, from the live roles: only while the old master is a healthy replica of the
 * one promoted in its place. Not after a failback, not once the roles are back or the old master is gone or down.
 * Undefined while the job has not succeeded.
 */
export function failbackFor(job: FailoverJob, nodes: SnapshotNode[]): Failback | undefined {
  if (job.state !== 'succeeded') return undefined;
  if (job.params?.failbackOf) return { offer: false, reason: 'This was a failback: it undid the failover before it.' };
  const newMasterId = job.result?.replicaId ?? job.params?.replicaId;
  const oldMasterId = job.result?.oldMasterId ?? job.params?.oldMasterId;
  if (!newMasterId || !oldMasterId) return { offer: false, reason: 'No old master to fail back to.' };
  const oldMaster = nodes.find((n) => n.id === oldMasterId);
  if (!oldMaster) return { offer: false, reason: 'The old master is no longer a member of the cluster.' };
  const name = nodeName(oldMaster);
  if (oldMaster.role === 'master') return { offer: false, reason: `Roles are back: ${name} is a master again.` };
  if (flaggedFail(oldMaster))
    return { offer: false, reason: `The old master ${name} is down (FAIL): nothing to fail back to.` };
  if (flaggedPfail(oldMaster) || !oldMaster.reachable)
    return { offer: false, reason: `The old master ${name} does not answer: fail back once it is back.` };
  if (oldMaster.masterId !== newMasterId) {
    const now = nodes.find((n) => n.id === oldMaster.masterId);
    return {
      offer: false,
      reason: `The old master ${name} now replicates from ${now ? nodeName(now) : (oldMaster.masterId?.slice(0, 8) ?? 'no master')}, not from the node this failover promoted.`,
    };
  }
  return { offer: true, oldMasterId, newMasterId };
}
