import type { Job } from './types';

/** How long an ended job stays on its page after a reload: long enough to read its result, not forever. */
export const RECENT_JOB_MS = 60 * 60 * 1000;

/**
 * The jobs of these kinds a page shows after a reload (the dialog that started them held their id only in its state):
 * every running one, and the newest ended one of each kind that ended within `recentMs`. Jobs come newest first, as
 * GET /api/jobs lists them.
 */
export function recentJobs<J extends Pick<Job, 'kind' | 'state' | 'startedAt' | 'endedAt'>>(
  jobs: readonly J[] | undefined,
  kinds: readonly string[],
  now: number,
  recentMs = RECENT_JOB_MS,
): J[] {
  const ended = new Set<string>();
  const out: J[] = [];
  for (const job of jobs ?? []) {
    if (!kinds.includes(job.kind)) continue;
    if (job.state === 'running') {
      out.push(job);
      continue;
    }
    if (ended.has(job.kind)) continue;
    ended.add(job.kind);
    const endedAt = Date.parse(job.endedAt ?? job.startedAt);
    if (now - endedAt <= recentMs) out.push(job);
  }
  return out;
}
