'use client';

import { useState } from 'react';
import type { RestartAdvance } from '@/lib/api/schemas';
import { actOnJob } from '@/lib/client/reshard';
import { advanceRollingRestart, type RollingRestartJob } from '@/lib/client/rollingRestart';
import { formatClock } from '@/lib/format';
import { ProgressBar } from '../common/ProgressBar';
import { JOB_STATE_STYLE, STEP_MARK, STEP_STYLE } from '../operations/jobStyles';

/**
 * The rolling restart's checklist for every viewer: each step, the current one highlighted; while it waits, "Restart
 * <addr> now" in large type with what the job watches for; the cluster's health at the last check; Skip, Mark done and
 * Cancel for operators.
 */
export function RollingRestartProgress({ job, canOperate }: { job: RollingRestartJob; canOperate: boolean }) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState<string>();
  const live = job.rollingRestart;
  const waiting = job.state === 'running' ? live?.waiting : undefined;
  const finished = job.steps.filter((s) => s.state === 'done' || s.state === 'skipped').length;
  const current = job.steps.find((s) => s.state === 'running' || s.state === 'failed');

  async function act(action: RestartAdvance | 'cancel') {
    setError(undefined);
    setPending(action);
    try {
      if (action === 'cancel') await actOnJob(job.id, 'cancel');
      else if (waiting) await advanceRollingRestart(job.id, action, waiting.step);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(undefined);
    }
  }

  return (
    <section
      className="space-y-3 rounded border-2 border-warn/60 p-4"
      aria-labelledby="rolling-restart-heading"
      data-testid="rolling-restart-job"
      data-state={job.state}
      data-job-id={job.id}
    >
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h2 id="rolling-restart-heading" className="text-lg font-semibold">
          Rolling restart
        </h2>
        <span className={`font-semibold ${JOB_STATE_STYLE[job.state]}`}>{job.state.toUpperCase()}</span>
        <span className="text-sm text-muted">
          started {formatClock(new Date(job.startedAt))} by {job.startedBy}
          {job.params?.failBack ? ', failing back after each master' : ', no failback'}
          {job.endedAt ? `, ended ${formatClock(new Date(job.endedAt))}` : ''}
        </span>
      </div>
      <div className="flex items-center gap-3 text-xs">
        <ProgressBar
          done={finished}
          total={job.steps.length}
          label="Steps finished"
          tone={
            job.state === 'failed' || job.state === 'cancelled' ? 'crit' : job.state === 'succeeded' ? 'ok' : 'warn'
          }
        />
        <span className="tabular text-muted">
          {finished} / {job.steps.length} steps
        </span>
      </div>
      {waiting && (
        <div
          className="rounded border-2 border-warn bg-warn/10 p-4"
          role="status"
          data-testid="rolling-restart-waiting"
        >
          <p className="text-3xl font-bold" data-testid="rolling-restart-now">
            {waiting.phase === 'run_id change' ? `Restart ${waiting.addr} now` : `${waiting.addr} restarted`}
          </p>
          <p className="mt-1 text-sm">
            Waiting for: <strong>{waiting.phase}</strong>
            {waiting.phase === 'run_id change' && (
              <>
                {' '}
                (now <code title={waiting.runIdBefore}>{waiting.runIdBefore.slice(0, 8)}</code>
                {waiting.seenDown ? '; seen down' : ''})
              </>
            )}
            , then (a replica) its link up, and no FAIL/PFAIL flag on it in any node’s view. Since{' '}
            {formatClock(new Date(waiting.since))}.
          </p>
          {canOperate && (
            <div className="mt-3 flex flex-wrap gap-3">
              <button
                type="button"
                className="rounded border border-border px-3 py-1 text-sm"
                disabled={pending !== undefined}
                onClick={() => void act('skip')}
                title="Leave this node as it is and go on"
                data-testid="rolling-restart-skip"
              >
                Skip this node
              </button>
              <button
                type="button"
                className="rounded border border-border px-3 py-1 text-sm"
                disabled={pending !== undefined}
                onClick={() => void act('done')}
                title="Take your word that it was restarted (the health check before the next step still applies)"
                data-testid="rolling-restart-done"
              >
                Mark done
              </button>
            </div>
          )}
        </div>
      )}
      {live?.health && (
        <p
          className={`text-sm ${live.health.ok ? 'text-ok' : 'text-crit'}`}
          data-testid="rolling-restart-health"
          data-ok={String(live.health.ok)}
        >
          Cluster health at {formatClock(new Date(live.health.at))}: {live.health.ok ? 'OK — ' : 'NOT OK — '}
          {live.health.summary}
        </p>
      )}
      <ol className="space-y-1 text-sm" data-testid="rolling-restart-steps">
        {job.steps.map((s) => (
          <li
            key={s.name}
            className={`flex gap-2 rounded px-2 py-1 ${s === current ? 'bg-warn/15 font-semibold' : ''} ${s.state === 'pending' ? 'opacity-60' : ''}`}
            aria-current={s === current ? 'step' : undefined}
            data-testid="rolling-restart-step"
            data-state={s.state}
          >
            <span className={STEP_STYLE[s.state]} aria-hidden="true">
              {STEP_MARK[s.state]}
            </span>
            <span className="sr-only">{s.state}</span>
            <span className="min-w-0">
              {s.name}
              {s.detail && <span className="block text-xs font-normal text-muted">{s.detail}</span>}
            </span>
          </li>
        ))}
      </ol>
      {job.error && (
        <p className="rounded border border-crit/60 bg-crit/10 p-2 text-sm" role="alert">
          {job.error}
        </p>
      )}
      {canOperate && job.state === 'running' && (
        <button
          type="button"
          className="rounded border border-crit px-3 py-1 text-sm text-crit"
          disabled={pending !== undefined}
          onClick={() => void act('cancel')}
          data-testid="rolling-restart-cancel"
        >
          Cancel the rolling restart
        </button>
      )}
      {error && (
        <p className="text-sm text-crit" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
