import { formatClock } from '@/lib/format';
import type { FailoverResult, Job } from '@/lib/jobs/types';

const STEP_MARK = { running: '…', done: '✓', failed: '✕', skipped: '–' } as const;
const STEP_STYLE = { running: 'text-warn', done: 'text-ok', failed: 'text-crit', skipped: 'text-muted' } as const;

/** The job's steps with timestamps, its final state, and what to do when it did not succeed. */
export function JobProgress({ job }: { job: Job<FailoverResult> }) {
  const t = job.result?.timings;
  return (
    <div className="space-y-2" data-testid="failover-job" data-state={job.state}>
      <div className="text-sm">
        <span
          className={`font-semibold ${job.state === 'succeeded' ? 'text-ok' : job.state === 'running' ? 'text-warn' : 'text-crit'}`}
        >
          {job.state.toUpperCase()}
        </span>{' '}
        <span className="text-muted">
          started {formatClock(new Date(job.startedAt))} by {job.startedBy}
          {job.endedAt ? `, ended ${formatClock(new Date(job.endedAt))}` : ''}
        </span>
      </div>
      <ol className="space-y-1 text-sm">
        {job.steps.map((s) => (
          <li key={s.name} className="flex gap-2" data-testid="failover-step" data-step={s.name} data-state={s.state}>
            <span className={`w-4 ${STEP_STYLE[s.state]}`} aria-hidden="true">
              {STEP_MARK[s.state]}
            </span>
            <span className="w-72">{s.name}</span>
            <time className="tabular text-muted" dateTime={s.at}>
              {formatClock(new Date(s.at))}
            </time>
            {s.detail && <span className="text-muted">{s.detail}</span>}
          </li>
        ))}
      </ol>
      {job.error && (
        <p className="rounded border border-crit/60 bg-crit/10 p-2 text-sm" role="alert">
          {job.error}
        </p>
      )}
      {job.result?.notes.length ? (
        <ul className="list-disc pl-5 text-sm text-warn" data-testid="failover-notes">
          {job.result.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      {t && (
        <p className="text-xs text-muted" data-testid="failover-timings">
          elected after {t.electedMs} ms · every node agreed after {t.agreedMs} ms · verified after {t.verifiedMs} ms
          {job.result?.epoch !== undefined ? ` · new config epoch ${job.result.epoch}` : ''}
        </p>
      )}
    </div>
  );
}
