import type { ReactNode } from 'react';
import { formatClock, formatCount } from '@/lib/format';
import type { Job, JobStep } from '@/lib/jobs/types';
import { ProgressBar } from '../common/ProgressBar';
import { Term } from '../common/Term';
import { JOB_STATE_STYLE, STEP_MARK, STEP_STYLE } from './jobStyles';

/** Step names with a protocol word in them, in plain words with the explanation on hover/focus. */
const PLAIN_STEP: Record<string, ReactNode> = {
  'elected (new epoch)': (
    <>
      elected (new <Term word="epoch" />)
    </>
  ),
};

const ms = (n: number) => `${formatCount(n)} ms`;

function StepTime({ step, job }: { step: JobStep; job: Job }) {
  if (step.state === 'pending')
    return <span className="text-muted">{job.state === 'running' ? 'pending' : 'not reached'}</span>;
  if (step.state === 'running' && step.startedAt) {
    return (
      <time dateTime={step.startedAt} title={formatClock(new Date(step.startedAt))}>
        started +{ms(Date.parse(step.startedAt) - Date.parse(job.startedAt))}
      </time>
    );
  }
  if (step.elapsedMs === undefined) return <span>–</span>;
  return (
    <time dateTime={step.at} title={formatClock(new Date(step.at))}>
      +{ms(step.elapsedMs)}
    </time>
  );
}

/**
 * Any job's every step from the start (pending ones greyed), each with the ms from the job's start and how long it
 * ran, its final state, and the error. `name` prefixes the test ids (`<name>-job`, `-step`, `-progress`); what a
 * kind of job adds below (a failover's timings) comes as children.
 */
export function JobSteps({ job, name, children }: { job: Job; name: string; children?: ReactNode }) {
  const finished = job.steps.filter((s) => s.state === 'done' || s.state === 'skipped').length;
  const total = job.steps.length;
  const tookMs = job.endedAt ? Date.parse(job.endedAt) - Date.parse(job.startedAt) : undefined;
  return (
    <div className="space-y-2" data-testid={`${name}-job`} data-state={job.state} data-job-id={job.id}>
      <div className="flex flex-wrap items-baseline gap-x-3 text-sm">
        <span className={`font-semibold ${JOB_STATE_STYLE[job.state]}`}>{job.state.toUpperCase()}</span>
        <span className="text-muted">
          started {formatClock(new Date(job.startedAt))} by {job.startedBy}
          {job.endedAt ? `, ended ${formatClock(new Date(job.endedAt))}` : ''}
          {tookMs !== undefined ? ` (${ms(tookMs)})` : ''}
        </span>
        <span className="font-mono text-xs text-muted" title="job id">
          job {job.id}
        </span>
      </div>
      {total > 0 && (
        <div className="flex items-center gap-3 text-xs" data-testid={`${name}-progress`}>
          <ProgressBar
            done={finished}
            total={total}
            label="Steps finished"
            tone={
              job.state === 'failed' || job.state === 'cancelled' ? 'crit' : job.state === 'succeeded' ? 'ok' : 'warn'
            }
          />
          <span className="tabular text-muted">
            {finished} / {total} steps
          </span>
        </div>
      )}
      <table className="tabular w-full text-left text-sm">
        <thead className="text-xs text-muted">
          <tr>
            <th className="w-6" aria-label="state" />
            <th className="w-72 pr-3 font-normal">step</th>
            <th className="w-32 pr-3 text-right font-normal">at (from start)</th>
            <th className="w-28 pr-3 text-right font-normal">took</th>
            <th className="font-normal">detail</th>
          </tr>
        </thead>
        <tbody>
          {job.steps.map((s) => (
            <tr
              key={s.name}
              className={`border-t border-border align-top ${s.state === 'pending' ? 'text-muted opacity-60' : ''}`}
              data-testid={`${name}-step`}
              data-step={s.name}
              data-state={s.state}
            >
              <td className={`py-1 ${STEP_STYLE[s.state]}`}>
                <span aria-hidden="true">{STEP_MARK[s.state]}</span>
                <span className="sr-only">{s.state}</span>
              </td>
              <td className="py-1 pr-3">{PLAIN_STEP[s.name] ?? s.name}</td>
              <td className="whitespace-nowrap py-1 pr-3 text-right" data-testid={`${name}-step-at`}>
                <StepTime step={s} job={job} />
              </td>
              <td className="whitespace-nowrap py-1 pr-3 text-right text-muted" data-testid={`${name}-step-took`}>
                {s.durationMs !== undefined
                  ? ms(s.durationMs)
                  : s.state === 'running'
                    ? job.state === 'running'
                      ? 'running…'
                      : 'unfinished'
                    : ''}
              </td>
              <td className="py-1 text-xs text-muted">{s.detail ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {job.error && (
        <p className="rounded border border-crit/60 bg-crit/10 p-2 text-sm" role="alert">
          {job.error}
        </p>
      )}
      {children}
    </div>
  );
}
