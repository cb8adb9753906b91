'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { apiPost } from '@/lib/client/mutate';
import { jobsQuery, queryKeys } from '@/lib/client/queries';
import { persistenceSummary } from '@/lib/cluster/persistenceView';
import type { SnapshotNode } from '@/lib/cluster/types';
import type { BgsaveParams, BgsaveResult, Job } from '@/lib/jobs/types';
import { BgsaveDialog } from './BgsaveDialog';
import { BgsaveProgress } from './BgsaveProgress';
import { PersistenceTable } from './PersistenceTable';

/** The cluster's persistence at a glance, "BGSAVE…" (every master, or every node) for operators, and the last BGSAVE job live. */
export function PersistenceSection({
  clusterId,
  nodes,
  collectedAt,
  now,
  highlighted,
  canOperate,
}: {
  clusterId: string;
  nodes: SnapshotNode[];
  collectedAt: string;
  now: number;
  highlighted: Set<string>;
  canOperate: boolean;
}) {
  const queryClient = useQueryClient();
  const jobs = useQuery(jobsQuery(clusterId));
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const job = jobs.data?.find((j) => j.kind === 'bgsave') as Job<BgsaveResult, BgsaveParams> | undefined;
  const running = job?.state === 'running';
  const refresh = () => queryClient.invalidateQueries({ queryKey: queryKeys.jobs(clusterId) });
  const cancel = async () => {
    if (!job) return;
    setError(undefined);
    try {
      await apiPost(`/api/jobs/${encodeURIComponent(job.id)}/cancel`);
      await refresh();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return (
    <section className="space-y-2" aria-labelledby="persistence-heading" data-testid="persistence">
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 id="persistence-heading" className="text-lg font-semibold">
          Persistence
        </h2>
        {canOperate && (
          <button
            type="button"
            className="rounded border border-border px-3 py-1 text-sm hover:border-warn disabled:opacity-60"
            onClick={() => setOpen(true)}
            disabled={running}
            title={
              running
                ? 'A BGSAVE job is running: one at a time'
                : 'Write an RDB snapshot now, on every master or on every node: the plan first'
            }
            data-testid="bgsave-open"
          >
            BGSAVE…
          </button>
        )}
      </div>
      <p className="text-sm" data-testid="persistence-summary">
        {persistenceSummary(nodes, collectedAt, now)}
      </p>
      {error && <p className="text-sm text-crit">{error}</p>}
      {job && <BgsaveProgress job={job} onCancel={canOperate ? cancel : undefined} />}
      <PersistenceTable nodes={nodes} collectedAt={collectedAt} now={now} highlighted={highlighted} />
      {open && (
        <BgsaveDialog
          clusterId={clusterId}
          nodes={nodes}
          onClose={() => setOpen(false)}
          onStarted={() => void refresh()}
        />
      )}
    </section>
  );
}
