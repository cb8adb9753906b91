'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { apiPost } from '@/lib/client/mutate';
import { failoverPlanQuery, jobQuery, queryKeys } from '@/lib/client/queries';
import type { SnapshotNode } from '@/lib/cluster/types';
import { failbackFor } from '@/lib/failover/failback';
import { blockingCheck, type FailoverMode, type FailoverPlan, MODE_EXPLANATION } from '@/lib/failover/prechecks';
import { useNow } from '../cluster/useNow';
import { JobProgress } from './JobProgress';
import { checkName, PlanChecks } from './PlanChecks';

const MODES: FailoverMode[] = ['default', 'force', 'takeover'];

export type FailoverTarget = { replicaId?: string; masterId?: string };

/** What the wizard opens on: a plan for a node (a failback: the old master of job `failbackOf`), or a job. */
export type WizardStart = { target: FailoverTarget; failbackOf?: string } | { jobId: string };

function StartButton({
  plan,
  planAt,
  mode,
  confirmed,
  onStart,
}: {
  plan: FailoverPlan;
  /** When the plan was fetched: the waits count down from there. */
  planAt: number;
  mode: FailoverMode;
  confirmed: boolean;
  onStart: () => void;
}) {
  const now = useNow(1000);
  const block = blockingCheck(plan.checks);
  const waitLeftS =
    block?.check.waitMs !== undefined ? Math.max(0, Math.ceil((planAt + block.check.waitMs - now) / 1000)) : undefined;
  return (
    <button
      type="button"
      disabled={!plan.allowed || !confirmed}
      onClick={onStart}
      className={`rounded px-4 py-2 font-semibold text-bg disabled:opacity-60 ${block ? 'bg-crit' : 'bg-warn'}`}
      data-testid="failover-start"
      data-blocked={block ? block.check.name : undefined}
      data-wait-s={waitLeftS}
    >
      {block ? (
        <>
          Blocked: {checkName(block.check.name)}
          {waitLeftS !== undefined && (
            <span className="tabular" data-testid="failover-countdown">
              {' '}
              — ready in {waitLeftS} s
            </span>
          )}
          {block.more > 0 ? ` (+${block.more} more)` : ''}
        </>
      ) : (
        `Start ${mode.toUpperCase()} failover`
      )}
    </button>
  );
}

/**
 * Promote a replica (or a master's best replica) in a modal dialog: pre-checks with measured values (failing ones
 * first), the mode the situation calls for with what it risks, a typed confirmation, then every step of the job as
 * the nodes report them, and failback while the live roles allow it. It can also open on a job (after a reload).
 */
export function FailoverWizard({
  clusterId,
  start: initial,
  nodes,
  isAdmin,
  onClose,
}: {
  clusterId: string;
  start: WizardStart;
  nodes: SnapshotNode[];
  isAdmin: boolean;
  /** Called once the dialog closed (Close, Escape), with the job it showed last. */
  onClose: (jobId?: string) => void;
}) {
  const queryClient = useQueryClient();
  const titleId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [current, setCurrent] = useState<FailoverTarget>('target' in initial ? initial.target : {});
  const [failbackOf, setFailbackOf] = useState('target' in initial ? initial.failbackOf : undefined);
  const [mode, setMode] = useState<FailoverMode>();
  const [confirm, setConfirm] = useState('');
  const [jobId, setJobId] = useState('jobId' in initial ? initial.jobId : undefined);
  const [error, setError] = useState<string>();
  const plan = useQuery({ ...failoverPlanQuery(clusterId, current, mode), enabled: !jobId });
  const job = useQuery({ ...jobQuery(jobId ?? ''), enabled: jobId !== undefined });
  const addr = (id: string | null | undefined) => nodes.find((n) => n.id === id)?.addr ?? id?.slice(0, 8) ?? '?';
  const p = jobId ? undefined : plan.data;
  const j = jobId ? job.data : undefined;
  const chosen = mode ?? p?.recommendedMode ?? 'default';
  const failback = j ? failbackFor(j, nodes) : undefined;

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);

  async function startJob() {
    if (!p) return;
    setError(undefined);
    try {
      const started = await apiPost<{ jobId: string }>(`/api/clusters/${encodeURIComponent(clusterId)}/failover`, {
        replicaId: p.replicaId,
        mode: chosen,
        confirm,
      });
      setJobId(started?.jobId);
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs(clusterId) });
    } catch (err) {
      setError((err as Error).message);
    }
  }

  function startFailback(oldMasterId: string) {
    setFailbackOf(jobId);
    setJobId(undefined);
    setConfirm('');
    setMode(undefined);
    setError(undefined);
    setCurrent({ replicaId: oldMasterId });
  }

  const who = j?.params ?? (p ? { replicaId: p.replicaId, oldMasterId: p.masterId, failbackOf } : undefined);
  const isFailback = Boolean(j ? j.params?.failbackOf : failbackOf);
  const title = who
    ? isFailback
      ? `Fail back: promote ${addr(who.replicaId)} again, replacing ${addr(who.oldMasterId)}`
      : `Manual failover: promote ${addr(who.replicaId)}, replacing ${addr(who.oldMasterId)}`
    : 'Manual failover';

  return (
    <dialog
      ref={dialog}
      onClose={() => onClose(jobId)}
      aria-labelledby={titleId}
      data-testid="failover-wizard"
      className="m-auto w-[min(72rem,calc(100vw-2rem))] max-w-none overflow-hidden rounded-lg border-2 border-warn/60 bg-panel p-0 text-text backdrop:bg-black/70"
    >
      <div className="flex max-h-[calc(100dvh-2rem)] flex-col">
        <header className="flex items-baseline gap-3 border-b border-border px-4 py-3">
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            className="ml-auto shrink-0 rounded border border-border px-3 py-1 text-sm"
            data-testid="failover-close"
          >
            Close
          </button>
        </header>
        <div className="min-h-0 flex-1 space-y-4 overflow-y-auto px-4 py-3" data-testid="failover-body">
          {!jobId && plan.error && <p className="text-crit">{plan.error.message}</p>}
          {!jobId && !p && !plan.error && <p className="text-muted">Reading the pre-checks…</p>}
          {p && (
            <>
              <PlanChecks checks={p.checks} />
              <fieldset className="space-y-2" data-testid="failover-modes">
                <legend className="mb-1 text-sm font-semibold">Mode</legend>
                {MODES.map((m) => {
                  const locked = m !== 'default' && !isAdmin;
                  return (
                    <label
                      key={m}
                      className={`flex items-start gap-2 rounded border px-2 py-1.5 text-sm ${chosen === m ? 'border-warn/60 bg-bg' : 'border-transparent'} ${locked ? 'opacity-50' : ''}`}
                    >
                      <input
                        type="radio"
                        name="mode"
                        value={m}
                        checked={chosen === m}
                        disabled={locked}
                        onChange={() => setMode(m)}
                        className="mt-1"
                      />
                      <span>
                        <strong>{m.toUpperCase()}</strong>
                        {m === p.recommendedMode ? ' (recommended now)' : ''}
                        {locked ? ' (admin only)' : ''}
                        <span
                          className={`block ${chosen === m && m !== 'default' ? 'font-semibold text-crit' : 'text-muted'}`}
                          data-testid={chosen === m ? 'failover-explanation' : undefined}
                        >
                          {MODE_EXPLANATION[m].replace(/^\w+: /, '')}
                        </span>
                      </span>
                    </label>
                  );
                })}
              </fieldset>
            </>
          )}
          {jobId && !j && !job.error && <p className="text-muted">Reading the job…</p>}
          {job.error && jobId && <p className="text-crit">{job.error.message}</p>}
          {j && <JobProgress job={j} />}
          {j?.state === 'running' && (
            <p className="text-xs text-muted">Closing this window does not stop the failover; it stays on the page.</p>
          )}
          {failback && !failback.offer && (
            <p className="text-sm text-muted" data-testid="failback-unavailable">
              No failback offered: {failback.reason}
            </p>
          )}
        </div>
        {p && (
          <footer className="space-y-2 border-t border-border px-4 py-3">
            <label className="flex flex-wrap items-center gap-2 text-sm">
              <span>
                Type the replica’s node id to confirm:{' '}
                <code className="select-all font-mono text-xs">{p.replicaId}</code>
              </span>
              <input
                value={confirm}
                onChange={(e) => setConfirm(e.target.value)}
                className="min-w-80 flex-1 rounded border border-border bg-bg px-3 py-1.5 font-mono text-xs"
                aria-label="Confirmation"
                spellCheck={false}
                autoComplete="off"
              />
            </label>
            {error && (
              <p className="text-sm text-crit" role="alert">
                {error}
              </p>
            )}
            <StartButton
              plan={p}
              planAt={plan.dataUpdatedAt}
              mode={chosen}
              confirmed={confirm === p.replicaId}
              onStart={startJob}
            />
          </footer>
        )}
        {failback?.offer && (
          <footer className="border-t border-border px-4 py-3">
            <button
              type="button"
              className="rounded border border-warn/60 px-3 py-1.5 text-sm font-semibold"
              onClick={() => startFailback(failback.oldMasterId)}
              data-testid="failback"
            >
              Fail back to {addr(failback.oldMasterId)} (undo this failover: make it master again)…
            </button>
          </footer>
        )}
      </div>
    </dialog>
  );
}
