import { isSlotMoving, type Job } from '../jobs/types';
import type { Finding } from './types';

const WORD: Record<string, string> = { reshard: 'reshard', rebalance: 'rebalance', drain: 'drain', fix: 'fix' };

/**
 * While a slot move of this dashboard runs, the open slots are its own doing (it holds the cluster's operation lock,
 * so nothing else of the dashboard moves slots meanwhile): said as information naming the job, never as a warning
 * that invites running a fix in the middle of the move.
 */
export function duringMove(findings: Finding[], job: Pick<Job, 'id' | 'kind' | 'state'> | undefined): Finding[] {
  if (job?.state !== 'running' || !isSlotMoving(job)) return findings;
  const what = `${WORD[job.kind] ?? 'slot move'} job ${job.id}`;
  return findings.map((f) =>
    f.code === 'slot_open'
      ? {
          ...f,
          severity: 'info',
          headline: `slots being moved by the running ${what}`,
          message: `Being moved by the running ${what}: ${f.message}`,
          action:
            'Nothing to do: the job closes each slot once its keys have moved. Cancel it from its panel to stop after the slots in flight.',
        }
      : f,
  );
}
