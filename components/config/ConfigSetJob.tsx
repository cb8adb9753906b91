'use client';

import { useQuery } from '@tanstack/react-query';
import { configSetJobQuery } from '@/lib/client/config';
import { ProgressBar } from '../common/ProgressBar';

const MARK = { pending: '○', running: '…', done: '✓', failed: '✕', skipped: '–' } as const;
const STYLE = {
  pending: 'text-muted',
  running: 'text-warn',
  done: 'text-ok',
  failed: 'text-crit',
  skipped: 'text-muted',
};

const TONE_TEXT = { ok: 'text-ok', warn: 'text-warn', crit: 'text-crit' } as const;

/** The config-set job as it runs: one step per node (old → new), the rewrite, and a roll back if a node refused. */
export function ConfigSetJob({ jobId }: { jobId: string }) {
  const job = useQuery(configSetJobQuery(jobId)).data;
  if (!job) return <p className="text-sm text-muted">Starting…</p>;
  const finished = job.steps.filter((s) => s.state === 'done' || s.state === 'skipped').length;
  const tone = job.state === 'succeeded' ? 'ok' : job.state === 'running' ? 'warn' : 'crit';
  return (
    <div className="space-y-2" data-testid="config-set-job" data-state={job.state}>
      <div className="flex items-center gap-3 text-sm">
        <strong className={TONE_TEXT[tone]}>{job.state.toUpperCase()}</strong>
        <ProgressBar done={finished} total={job.steps.length} label="Steps finished" tone={tone} />
        <span className="tabular text-xs text-muted">
          {finished} / {job.steps.length} steps
        </span>
      </div>
      <ol className="space-y-1 text-sm">
        {job.steps.map((s) => (
          <li key={s.name} data-testid="config-set-step" data-step={s.name} data-state={s.state}>
            <span className={STYLE[s.state]} aria-hidden="true">
              {MARK[s.state]}
            </span>{' '}
            <span className="sr-only">{s.state}</span>
            {s.name}
            {s.detail && <span className="ml-2 text-xs text-muted">{s.detail}</span>}
          </li>
        ))}
      </ol>
      {job.error && (
        <p className="rounded border border-crit/60 bg-crit/10 p-2 text-sm" role="alert" data-testid="config-set-error">
          {job.error}
        </p>
      )}
    </div>
  );
}
