'use client';

import { formatClock, formatCount } from '@/lib/format';
import type { BgsaveParams, BgsaveResult, Job } from '@/lib/jobs/types';
import { ProgressBar } from '../common/ProgressBar';

const STATE_CLASS = {
  running: 'text-warn',
  succeeded: 'text-ok',
  failed: 'text-crit',
  cancelled: 'text-crit',
  interrupted: 'text-warn',
} as const;
const STEP_WORD = {
  pending: 'waiting',
  running: 'saving…',
  done: 'saved',
  failed: 'FAILED',
  skipped: 'skipped',
} as const;
const STEP_CLASS = {
  pending: 'text-muted',
  running: 'text-warn',
  done: 'text-ok',
  failed: 'text-crit',
  skipped: 'text-muted',
} as const;

const seconds = (ms: number) => (ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${formatCount(ms / 1000)} s`);

/** The last BGSAVE job of the cluster, live from the stream: one row per node with its state, time and fork. */
export function BgsaveProgress({ job, onCancel }: { job: Job<BgsaveResult, BgsaveParams>; onCancel?: () => void }) {
  const done = job.steps.filter((s) => s.state === 'done').length;
  const ended = job.steps.filter((s) => s.state !== 'pending' && s.state !== 'running').length;
  const byNode = new Map((job.result?.nodes ?? []).map((n) => [n.addr, n]));
  return (
    <div
      className="space-y-2 rounded-lg border border-border bg-panel p-3"
      data-testid="bgsave-job"
      data-state={job.state}
    >
      <div className="flex flex-wrap items-baseline gap-3 text-sm">
        <span className={`font-semibold ${STATE_CLASS[job.state]}`}>BGSAVE {job.state.toUpperCase()}</span>
        <span className="text-muted">
          {job.params?.scope === 'all' ? 'every node' : 'every master'} · started {formatClock(new Date(job.startedAt))}{' '}
          by {job.startedBy}
          {job.endedAt ? ` · ended ${formatClock(new Date(job.endedAt))}` : ''}
        </span>
        {onCancel && job.state === 'running' && (
          <button
            type="button"
            className="ml-auto rounded border border-crit/60 px-3 py-1 text-sm text-crit"
            onClick={onCancel}
            title="Stops before the next BGSAVE and stops waiting; a save already started goes on on its node"
            data-testid="bgsave-cancel"
          >
            Cancel
          </button>
        )}
      </div>
      <div className="flex items-center gap-3 text-xs">
        <ProgressBar
          done={ended}
          total={job.steps.length}
          label="Nodes finished"
          tone={
            job.state === 'failed' || job.state === 'cancelled' ? 'crit' : job.state === 'succeeded' ? 'ok' : 'warn'
          }
        />
        <span className="tabular text-muted" data-testid="bgsave-count">
          {done} / {job.steps.length} nodes saved
        </span>
      </div>
      <table className="tabular w-full text-left text-sm">
        <thead className="text-xs text-muted">
          <tr>
            <th className="pr-3 font-normal">node</th>
            <th className="pr-3 font-normal">state</th>
            <th className="pr-3 text-right font-normal">took</th>
            <th className="font-normal">detail</th>
          </tr>
        </thead>
        <tbody>
          {job.steps.map((step) => {
            const addr = step.name.replace(/^BGSAVE /, '');
            const result = byNode.get(addr);
            return (
              <tr
                key={step.name}
                className="border-t border-border align-top"
                data-testid="bgsave-step"
                data-state={step.state}
              >
                <td className="py-1 pr-3 font-mono">{addr}</td>
                <td className={`py-1 pr-3 font-semibold ${STEP_CLASS[step.state]}`}>{STEP_WORD[step.state]}</td>
                <td className="whitespace-nowrap py-1 pr-3 text-right text-muted">
                  {step.durationMs !== undefined ? seconds(step.durationMs) : ''}
                </td>
                <td className="py-1 text-xs text-muted">{result?.error ?? step.detail ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {job.error && (
        <p className="rounded border border-crit/60 bg-crit/10 p-2 text-sm" role="alert">
          {job.error}
        </p>
      )}
    </div>
  );
}
