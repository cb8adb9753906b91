'use client';

import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { queryKeys } from '@/lib/client/queries';
import { actOnJob } from '@/lib/client/reshard';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatBytes, formatClock, formatCount, shortId } from '@/lib/format';
import type { JobState, OpenSlot, ReshardJob, SlotPhase } from '@/lib/jobs/types';
import { formatRanges, rangesFromSlots } from '@/lib/redis/slots';
import { describeMove, describeRequest, formatDuration, MOVE_WORD } from '@/lib/reshard/job';
import { ProgressBar } from '../common/ProgressBar';
import { Term } from '../common/Term';
import { JOB_STATE_STYLE } from '../operations/jobStyles';

const TITLE: Record<JobState, (what: string) => string> = {
  running: (what) => `${what} in progress`,
  succeeded: (what) => `Last ${what.toLowerCase()}: done`,
  failed: (what) => `${what} failed`,
  cancelled: (what) => `${what} cancelled`,
  interrupted: (what) => `${what} interrupted`,
};
const BORDER: Record<JobState, string> = {
  running: 'border-warn/60',
  succeeded: 'border-border',
  failed: 'border-crit/70',
  cancelled: 'border-warn/60',
  interrupted: 'border-crit/70',
};

/** Where a slot was left, in plain words: what is done and what is not. */
const PHASE_WORDS: Record<SlotPhase, ReactNode> = {
  planned: 'not started',
  sending: 'a step was sent; whether it ran is read from the nodes',
  importing: (
    <>
      target <Term word="importing" />, source not yet migrating
    </>
  ),
  migrating: (
    <>
      keys moving (source <Term word="migrating" />)
    </>
  ),
  keys_moved: 'every key moved; ownership not switched yet',
  target_owns: 'target owns it; the source not told yet',
  source_released: 'source released it; other masters not told yet',
  done: 'done',
  failed: 'failed',
  rolled_back: 'returned to its source',
};

function Figure({ label, value, sub, testId }: { label: string; value: ReactNode; sub?: ReactNode; testId: string }) {
  return (
    <div className="min-w-0" data-testid={testId}>
      <div className="text-xs uppercase tracking-wider text-muted">{label}</div>
      <div className="tabular truncate text-xl font-semibold">{value}</div>
      {sub !== undefined && <div className="tabular truncate text-xs text-muted">{sub}</div>}
    </div>
  );
}

function OpenSlots({ slots, addr }: { slots: OpenSlot[]; addr: (id: string) => string }) {
  return (
    <table className="tabular w-full text-left text-sm" data-testid="reshard-open-slots">
      <thead className="text-xs text-muted">
        <tr>
          <th className="py-1 pr-3 font-normal">slot</th>
          <th className="py-1 pr-3 font-normal">from → to</th>
          <th className="py-1 pr-3 font-normal">left at</th>
          <th className="py-1 text-right font-normal">keys still on the source</th>
        </tr>
      </thead>
      <tbody>
        {slots.map((s) => (
          <tr key={s.slot} className="border-t border-border" data-testid="reshard-open-slot" data-slot={s.slot}>
            <td className="py-1 pr-3 font-semibold">{s.slot}</td>
            <td className="py-1 pr-3">
              {addr(s.sourceId)} → {addr(s.targetId)}
            </td>
            <td className="py-1 pr-3">{PHASE_WORDS[s.phase]}</td>
            <td className="py-1 text-right">{s.keysLeft === undefined ? '–' : formatCount(s.keysLeft)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Action = 'cancel' | 'resume' | 'rollback';

const ACTION: Record<Exclude<Action, 'cancel'>, { label: string; confirm: string; explain: string }> = {
  resume: {
    label: 'Resume…',
    confirm: 'Yes, resume',
    explain:
      'Resume finishes the open slots from where each one was left (read from the journal and from the nodes themselves), then moves the rest of the plan.',
  },
  rollback: {
    label: 'Roll back…',
    confirm: 'Yes, roll back',
    explain:
      'Roll back moves the open slots’ keys back and returns those slots to their source; slots already moved stay on the target. Nothing else of the plan runs.',
  },
};

/**
 * A slot move (reshard, rebalance, drain) as every viewer sees it on the cluster page, pushed live: slots and keys with their totals, bytes, rate,
 * elapsed, estimate, the slots moving now and why it waits, Cancel (it finishes the slots in flight), the steps with
 * their times; an interrupted job lists its open slots with Resume and Roll back.
 */
export function ReshardProgress({
  job,
  nodes,
  now,
  canOperate,
  onFollow,
}: {
  job: ReshardJob;
  nodes: SnapshotNode[];
  now: number;
  canOperate: boolean;
  /** Resume or roll back answered with another job: show that one. */
  onFollow: (jobId: string) => void;
}) {
  const queryClient = useQueryClient();
  const [arming, setArming] = useState<Exclude<Action, 'cancel'>>();
  const [pending, setPending] = useState<Action>();
  const [error, setError] = useState<string>();
  const addr = (id: string) => nodes.find((n) => n.id === id)?.addr ?? shortId(id);
  const m = job.migration;
  const slotsTotal = m?.slotsTotal ?? (job.progress.unit === 'slots' ? job.progress.total : 0);
  const slotsDone = m?.slotsDone ?? (job.progress.unit === 'slots' ? job.progress.done : 0);
  const percent = slotsTotal > 0 ? Math.min(100, (100 * slotsDone) / slotsTotal) : 0;
  const running = job.state === 'running';
  // An interrupted job has no end time of its own: it ran until its last recorded step.
  const lastStep = Math.max(
    ...job.steps.filter((s) => s.state !== 'pending').map((s) => Date.parse(s.at) || 0),
    Date.parse(job.startedAt),
  );
  const endMs = running ? now : job.endedAt ? Date.parse(job.endedAt) : lastStep;
  const elapsedMs = endMs - Date.parse(job.startedAt);
  const target = job.params?.target;
  const inFlight = m?.inFlight ?? [];
  const open = job.openSlots ?? [];

  async function act(action: Action) {
    setError(undefined);
    setPending(action);
    setArming(undefined);
    try {
      const answer = await actOnJob(job.id, action);
      const next = answer?.jobId ?? answer?.id;
      if (next && next !== job.id) onFollow(next);
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs(job.clusterId) });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setPending(undefined);
    }
  }

  return (
    <section
      className={`space-y-3 rounded-lg border-2 bg-panel p-4 ${BORDER[job.state]}`}
      aria-labelledby={`reshard-${job.id}`}
      data-testid="reshard-progress"
      data-job-id={job.id}
      data-state={job.state}
      data-slots-done={slotsDone}
      data-slots-total={slotsTotal}
    >
      <header className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id={`reshard-${job.id}`} className="text-lg font-semibold">
          {TITLE[job.state](MOVE_WORD[job.kind] ?? 'Slot move')}
        </h2>
        <span className={`font-semibold ${JOB_STATE_STYLE[job.state]}`} data-testid="reshard-state">
          {job.state.toUpperCase()}
        </span>
        <span className="min-w-0 text-sm">
          {job.kind === 'reshard' ? (
            <>
              {describeRequest(job.params, addr)} to <strong>{target ? addr(target) : '?'}</strong>
            </>
          ) : (
            describeMove(job, addr)
          )}
        </span>
        <span className="text-xs text-muted">
          started {formatClock(new Date(job.startedAt))} by {job.startedBy}
          {job.endedAt ? `, ended ${formatClock(new Date(job.endedAt))}` : ''} ·{' '}
          <span className="font-mono" title="job id">
            job {job.id}
          </span>
        </span>
      </header>

      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 xl:grid-cols-6">
        <Figure
          testId="reshard-slots"
          label="slots"
          value={
            <>
              {formatCount(slotsDone)} <span className="text-base text-muted">/ {formatCount(slotsTotal)}</span>
            </>
          }
          sub={`${percent.toFixed(percent < 10 && percent > 0 ? 1 : 0)} %`}
        />
        <Figure
          testId="reshard-keys"
          label="keys moved"
          value={formatCount(job.result?.keysMoved ?? m?.keysMoved ?? 0)}
          sub={m?.keysTotal !== undefined ? `of ${formatCount(m.keysTotal)} counted` : undefined}
        />
        <Figure testId="reshard-bytes" label="data moved" value={m ? formatBytes(m.bytesMoved) : '–'} />
        <Figure
          testId="reshard-rate"
          label={running ? 'rate' : 'average rate'}
          value={
            running
              ? m
                ? `${formatCount(m.keysPerSec)} keys/s`
                : '–'
              : elapsedMs > 0
                ? `${formatCount(((job.result?.keysMoved ?? m?.keysMoved ?? 0) * 1000) / (job.result?.ms ?? elapsedMs))} keys/s`
                : '–'
          }
          sub={
            job.params?.options?.throttleKeysPerSec
              ? `limit ${formatCount(job.params.options.throttleKeysPerSec)} keys/s`
              : undefined
          }
        />
        <Figure testId="reshard-elapsed" label={running ? 'elapsed' : 'ran for'} value={formatDuration(elapsedMs)} />
        {running ? (
          <Figure
            testId="reshard-eta"
            label="time left"
            value={m?.etaMs !== undefined ? `≈ ${formatDuration(m.etaMs)}` : '–'}
            sub={m?.etaMs !== undefined ? 'at the current rate' : 'measuring the rate…'}
          />
        ) : (
          <Figure
            testId="reshard-left"
            label="slots not moved"
            value={formatCount(Math.max(0, slotsTotal - slotsDone))}
          />
        )}
      </div>

      <div className="flex items-center gap-3 text-sm">
        <ProgressBar
          done={slotsDone}
          total={slotsTotal}
          label="Slots moved"
          tall
          valueText={`${slotsDone} of ${slotsTotal} slots`}
          tone={
            job.state === 'succeeded' ? 'ok' : job.state === 'failed' || job.state === 'interrupted' ? 'crit' : 'warn'
          }
        />
        <span className="tabular shrink-0 text-muted">
          {formatCount(slotsDone)} / {formatCount(slotsTotal)} slots
        </span>
      </div>

      {running && (
        <p className="text-sm" data-testid="reshard-in-flight" data-slots={inFlight.join(',')}>
          <span className="text-muted">Moving now: </span>
          {inFlight.length ? (
            <>
              <span className="font-mono [overflow-wrap:anywhere]">{formatRanges(rangesFromSlots(inFlight))}</span>{' '}
              <span className="text-muted">
                ({inFlight.length} {inFlight.length === 1 ? 'slot' : 'slots'}, white on the map)
              </span>
            </>
          ) : (
            <span className="text-muted">between slots</span>
          )}
        </p>
      )}
      {running && m?.paused && (
        <p className="font-semibold text-warn" role="status" data-testid="reshard-paused">
          <span aria-hidden="true">‖ </span>Paused: {m.paused}. It goes on by itself once that clears.
        </p>
      )}

      {job.state === 'succeeded' && job.result && (
        <p className="text-sm" data-testid="reshard-result">
          <span className="text-ok" aria-hidden="true">
            ✓{' '}
          </span>
          {job.kind === 'fix' ? (
            <>
              Fixed <strong>{formatCount(fixedSlots(job.result))}</strong> slot(s), moving{' '}
              <strong>{formatCount(job.result.keysMoved)}</strong> keys, in {formatDuration(job.result.ms)}.
            </>
          ) : (
            <>
              Moved <strong>{formatCount(job.result.slotsMoved)}</strong> slots and{' '}
              <strong>{formatCount(job.result.keysMoved)}</strong> keys in {formatDuration(job.result.ms)}
              {job.result.ms > 0 ? ` (${formatCount((job.result.keysMoved * 1000) / job.result.ms)} keys/s)` : ''}.
            </>
          )}
        </p>
      )}
      {job.state === 'succeeded' && job.result?.notes?.length ? (
        <ul className="list-inside list-disc text-sm" data-testid="reshard-notes">
          {job.result.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      {job.error && (
        <p
          className="rounded border border-crit/60 bg-crit/10 p-2 text-sm"
          role="alert"
          data-testid="reshard-job-error"
        >
          {job.error}
        </p>
      )}

      {running && canOperate && (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            className="rounded border border-border px-3 py-1.5 text-sm font-semibold hover:border-warn disabled:opacity-60"
            onClick={() => void act('cancel')}
            disabled={pending === 'cancel'}
            data-testid="reshard-cancel"
          >
            {pending === 'cancel' ? 'Cancelling…' : `Cancel ${(MOVE_WORD[job.kind] ?? 'slot move').toLowerCase()}`}
          </button>
          <span className="text-xs text-muted">
            Cancel finishes the slots being moved now (a slot is never left half-moved), then stops. Slots already moved
            stay on {target ? addr(target) : 'their new master'}.
          </span>
        </div>
      )}

      {(job.state === 'interrupted' || (job.state === 'failed' && open.length > 0)) && (
        <div className="space-y-2" data-testid="reshard-interrupted">
          <p className="text-sm">
            {job.state === 'interrupted'
              ? `The dashboard stopped while this ${(MOVE_WORD[job.kind] ?? 'slot move').toLowerCase()} ran. `
              : `The ${(MOVE_WORD[job.kind] ?? 'slot move').toLowerCase()} stopped on the error above. `}
            {open.length ? (
              <strong className="text-crit">
                {open.length} <Term word="openSlot">{open.length === 1 ? 'open slot' : 'open slots'}</Term> left between
                two masters
              </strong>
            ) : (
              'No slot was left open'
            )}
            ; clients still reach every key (through ASK redirects), but no other slot move can start until this one is
            resumed or rolled back.
          </p>
          {open.length > 0 && <OpenSlots slots={open} addr={addr} />}
          {canOperate && (
            <div className="grid gap-3 md:grid-cols-2">
              {(['resume', 'rollback'] as const).map((action) => (
                <div key={action} className="space-y-1 rounded border border-border p-2">
                  {arming === action ? (
                    <div className="flex flex-wrap gap-2">
                      <button
                        type="button"
                        className="rounded bg-warn px-3 py-1.5 text-sm font-semibold text-bg"
                        onClick={() => void act(action)}
                        data-testid="reshard-action-confirm"
                      >
                        {ACTION[action].confirm}
                      </button>
                      <button
                        type="button"
                        className="rounded border border-border px-3 py-1.5 text-sm"
                        onClick={() => setArming(undefined)}
                      >
                        Not now
                      </button>
                    </div>
                  ) : (
                    <button
                      type="button"
                      className="rounded border border-warn/60 px-3 py-1.5 text-sm font-semibold disabled:opacity-60"
                      onClick={() => setArming(action)}
                      disabled={pending !== undefined}
                      data-testid={`reshard-${action}`}
                    >
                      {pending === action ? 'Asking…' : ACTION[action].label}
                    </button>
                  )}
                  <p className="text-xs text-muted">{ACTION[action].explain}</p>
                </div>
              ))}
            </div>
          )}
        </div>
      )}
      {error && (
        <p className="text-sm text-crit" role="alert" data-testid="reshard-action-error">
          {error}
        </p>
      )}

      {job.steps.length > 0 && (
        <details open={job.state !== 'succeeded'} className="text-sm" data-testid="reshard-log">
          <summary className="cursor-pointer text-muted">Steps ({job.steps.length})</summary>
          <ol className="tabular mt-1 max-h-56 overflow-y-auto">
            {job.steps.map((s) => (
              <li
                key={s.name}
                className="grid grid-cols-[8rem_5rem_1fr] gap-x-3 border-t border-border py-0.5"
                data-testid="reshard-step"
                data-state={s.state}
              >
                <time dateTime={s.at} className="text-muted">
                  {s.state === 'pending' ? '' : formatClock(new Date(s.at))}
                </time>
                <span className={s.state === 'failed' ? 'text-crit' : s.state === 'pending' ? 'text-muted' : ''}>
                  {s.state}
                </span>
                <span className="min-w-0 break-words">
                  {s.name}
                  {s.detail ? <span className="text-muted"> — {s.detail}</span> : null}
                </span>
              </li>
            ))}
          </ol>
        </details>
      )}
    </section>
  );
}

/** A fix's result counts actions run (`slotsFixed`), a move's `slotsMoved`. */
function fixedSlots(result: object): number {
  const fixed = (result as { slotsFixed?: unknown }).slotsFixed;
  return typeof fixed === 'number' ? fixed : 0;
}
