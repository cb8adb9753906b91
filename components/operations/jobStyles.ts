import type { JobState, JobStep } from '@/lib/jobs/types';

/** One look for a job's state and its steps on every progress panel (failover, reshard, lifecycle, restart). */
export const STEP_MARK: Record<JobStep['state'], string> = {
  pending: '○',
  running: '▶',
  done: '✓',
  failed: '✕',
  skipped: '–',
};
export const STEP_STYLE: Record<JobStep['state'], string> = {
  pending: 'text-muted',
  running: 'text-warn',
  done: 'text-ok',
  failed: 'text-crit',
  skipped: 'text-muted',
};
/** Interrupted is critical: the dashboard stopped mid-job and may have left work open; cancelled was asked for. */
export const JOB_STATE_STYLE: Record<JobState, string> = {
  running: 'text-warn',
  succeeded: 'text-ok',
  failed: 'text-crit',
  cancelled: 'text-warn',
  interrupted: 'text-crit',
};
