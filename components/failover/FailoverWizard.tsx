'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiPost } from '@/lib/client/mutate';
import { failoverPlanQuery, jobQuery, queryKeys } from '@/lib/client/queries';
import type { SnapshotNode } from '@/lib/cluster/types';
import { type FailoverMode, MODE_EXPLANATION } from '@/lib/failover/prechecks';
import { JobProgress } from './JobProgress';
import { PlanChecks } from './PlanChecks';

const MODES: FailoverMode[] = ['default', 'force', 'takeover'];

/**
 * Promote a replica (or a master's best replica): pre-checks with measured values, the mode the situation calls for
 * with what it risks, a typed confirmation, then the job's steps as the nodes report them, and failback.
 */
export function FailoverWizard({
  clusterId,
  target,
  nodes,
  isAdmin,
  onClose,
}: {
  clusterId: string;
  target: { replicaId?: string; masterId?: string };
  nodes: SnapshotNode[];
  isAdmin: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [current, setCurrent] = useState(target);
  const [mode, setMode] = useState<FailoverMode>();
  const [confirm, setConfirm] = useState('');
  const [jobId, setJobId] = useState<string>();
  const [error, setError] = useState<string>();
  const plan = useQuery({ ...failoverPlanQuery(clusterId, current, mode), enabled: !jobId });
  const job = useQuery({ ...jobQuery(jobId ?? ''), enabled: jobId !== undefined });
  const addr = (id: string | null | undefined) => nodes.find((n) => n.id === id)?.addr ?? id?.slice(0, 8) ?? '?';
  const p = plan.data;
  const chosen = mode ?? p?.recommendedMode ?? 'default';

  async function start() {
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

  function failback(oldMasterId: string) {
    setJobId(undefined);
    setConfirm('');
    setMode(undefined);
    setCurrent({ replicaId: oldMasterId });
  }

  return (
    <section
      className="space-y-3 rounded-lg border-2 border-warn/60 bg-panel p-4"
      data-testid="failover-wizard"
      aria-label="Manual failover"
    >
      <header className="flex items-baseline justify-between gap-3">
        <h2 className="text-lg font-semibold">
          Manual failover{p ? `: promote ${addr(p.replicaId)}, replacing ${addr(p.masterId)}` : ''}
        </h2>
        <button type="button" onClick={onClose} className="rounded border border-border px-3 py-1 text-sm">
          Close
        </button>
      </header>
      {plan.error && !jobId && <p className="text-crit">{plan.error.message}</p>}
      {p && !jobId && (
        <>
          <PlanChecks checks={p.checks} />
          <fieldset className="space-y-1" data-testid="failover-modes">
            <legend className="text-sm font-semibold">Mode</legend>
            {MODES.map((m) => (
              <label
                key={m}
                className={`flex items-start gap-2 text-sm ${m !== 'default' && !isAdmin ? 'opacity-50' : ''}`}
              >
                <input
                  type="radio"
                  name="mode"
                  value={m}
                  checked={chosen === m}
                  disabled={m !== 'default' && !isAdmin}
                  onChange={() => setMode(m)}
                  className="mt-1"
                />
                <span>
                  <strong>{m.toUpperCase()}</strong>
                  {m === p.recommendedMode ? ' (recommended now)' : ''}
                  {m !== 'default' && !isAdmin ? ' (admin only)' : ''} — {MODE_EXPLANATION[m]}
                </span>
              </label>
            ))}
          </fieldset>
          <p
            className={`text-sm ${chosen === 'default' ? 'text-muted' : 'font-semibold text-crit'}`}
            data-testid="failover-explanation"
          >
            {MODE_EXPLANATION[chosen]}
          </p>
          <label className="flex flex-col gap-1 text-sm">
            Type the replica's node id to confirm: <code className="select-all font-mono text-xs">{p.replicaId}</code>
            <input
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              className="rounded border border-border bg-bg px-3 py-1.5 font-mono text-xs"
              aria-label="Confirmation"
            />
          </label>
          {error && (
            <p className="text-sm text-crit" role="alert">
              {error}
            </p>
          )}
          <button
            type="button"
            disabled={!p.allowed || confirm !== p.replicaId}
            onClick={start}
            className="rounded bg-warn px-4 py-2 font-semibold text-bg disabled:opacity-40"
          >
            {p.allowed ? `Start ${chosen.toUpperCase()} failover` : 'Blocked by the pre-checks'}
          </button>
        </>
      )}
      {job.data && <JobProgress job={job.data} />}
      {job.data?.state === 'succeeded' && job.data.result?.oldMasterId && (
        <button
          type="button"
          className="rounded border border-border px-3 py-1.5 text-sm"
          onClick={() => failback(job.data?.result?.oldMasterId ?? '')}
        >
          Fail back to {addr(job.data.result.oldMasterId)} (restore the original roles)
        </button>
      )}
    </section>
  );
}
