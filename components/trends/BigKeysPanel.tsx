'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { apiPost } from '@/lib/client/mutate';
import { jobsQuery, queryKeys } from '@/lib/client/queries';
import { formatBytes, formatClock, formatCount } from '@/lib/format';
import { skippedSummary } from '@/lib/jobs/bigKeysTargets';
import type { BigKey, BigKeysResult, Job } from '@/lib/jobs/types';

function KeyTable({ title, keys, value }: { title: string; keys: BigKey[]; value: (k: BigKey) => string }) {
  return (
    <div>
      <h4 className="mb-1 text-sm font-semibold">{title}</h4>
      {keys.length === 0 && <p className="text-xs text-muted">None found.</p>}
      <table className="tabular w-full text-left text-xs" data-testid="bigkeys-table">
        <tbody>
          {keys.map((k) => (
            <tr key={`${k.nodeId}-${k.key}`} className="border-t border-border">
              <td className="max-w-64 truncate py-1 pr-2 font-mono" title={k.key}>
                {k.key}
              </td>
              <td className="py-1 pr-2 text-muted">{k.type}</td>
              <td className="py-1 pr-2 text-right">{value(k)}</td>
              <td className="py-1 text-muted">{k.addr}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Starting a scan is an operator action; progress, cancel and the result are visible to every viewer. */
export function BigKeysPanel({ clusterId, canStart }: { clusterId: string; canStart: boolean }) {
  const queryClient = useQueryClient();
  const jobs = useQuery(jobsQuery(clusterId));
  const [error, setError] = useState<string>();
  const job = jobs.data?.find((j) => j.kind === 'bigkeys') as Job<BigKeysResult> | undefined;
  const running = job?.state === 'running';
  // A refusal such as "a bigkeys job is already running" is about that job: it goes when the job ends.
  useEffect(() => {
    if (!running) setError(undefined);
  }, [running]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.jobs(clusterId) });
  const act = async (path: string, body?: unknown) => {
    setError(undefined);
    try {
      await apiPost(path, body);
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const pct = job?.progress.total ? Math.min(100, (job.progress.done / job.progress.total) * 100) : 0;
  return (
    <div className="space-y-3 rounded-lg border border-border bg-panel p-3" data-testid="bigkeys">
      <div className="flex flex-wrap items-center gap-3">
        {canStart && (
          <button
            type="button"
            disabled={job?.state === 'running'}
            className="rounded border border-border px-3 py-1.5 text-sm hover:border-muted disabled:opacity-50"
            onClick={() => act(`/api/clusters/${encodeURIComponent(clusterId)}/bigkeys`, { top: 10 })}
          >
            Scan for big keys
          </button>
        )}
        {job?.state === 'running' && canStart && (
          <button
            type="button"
            className="rounded border border-crit/60 px-3 py-1.5 text-sm text-crit"
            onClick={() => act(`/api/jobs/${job.id}/cancel`)}
          >
            Cancel
          </button>
        )}
        <span className="text-sm text-muted">
          SCAN in batches of 100 with a pause, on a replica of each shard where one is healthy.
        </span>
      </div>
      {error && <p className="text-sm text-crit">{error}</p>}
      {job && (
        <div className="space-y-1" data-testid="bigkeys-job" data-state={job.state}>
          <div className="text-sm">
            {job.state} · started {formatClock(new Date(job.startedAt))} by {job.startedBy} · keys{' '}
            {formatCount(job.progress.done)} / {formatCount(job.progress.total)}
          </div>
          <div
            className="h-2 w-full rounded bg-bg"
            role="progressbar"
            aria-valuenow={Math.round(pct)}
            aria-valuemin={0}
            aria-valuemax={100}
          >
            <div className="h-2 rounded bg-text" style={{ width: `${pct}%` }} />
          </div>
          {job.error && <p className="text-sm text-crit">{job.error}</p>}
        </div>
      )}
      {job?.result && (job.result.skippedShards?.length ?? 0) > 0 && (
        <p className="text-sm text-warn" data-testid="bigkeys-incomplete">
          {skippedSummary(job.result.skippedShards)}: the lists below do not cover their keys.
        </p>
      )}
      {job?.result && (
        <div className="grid gap-4 lg:grid-cols-2">
          <KeyTable
            title="Largest by memory (MEMORY USAGE)"
            keys={job.result.byMemory}
            value={(k) => formatBytes(k.bytes)}
          />
          <KeyTable title="Most elements" keys={job.result.byElements} value={(k) => formatCount(k.elements)} />
        </div>
      )}
    </div>
  );
}
