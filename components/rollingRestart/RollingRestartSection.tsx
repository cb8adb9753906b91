'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { jobsQuery } from '@/lib/client/queries';
import { currentRollingRestart } from '@/lib/client/rollingRestart';
import { RollingRestartDialog } from './RollingRestartDialog';
import { RollingRestartProgress } from './RollingRestartProgress';

/**
 * The cluster page's rolling restart: the running (or recently ended) job's checklist for every viewer, pushed by the
 * stream into the cluster's job list; "Rolling restart…" for operators when none runs.
 */
export function RollingRestartSection({
  clusterId,
  clusterName,
  canView,
  canOperate,
  now,
}: {
  clusterId: string;
  clusterName: string;
  canView: boolean;
  canOperate: boolean;
  now: number;
}) {
  const [open, setOpen] = useState(false);
  const jobs = useQuery({ ...jobsQuery(clusterId), enabled: canView });
  const job = currentRollingRestart(jobs.data, now);
  return (
    <>
      {job && <RollingRestartProgress job={job} canOperate={canOperate} />}
      {canOperate && job?.state !== 'running' && (
        <button
          type="button"
          className="rounded border border-border px-3 py-1 text-sm hover:border-warn"
          onClick={() => setOpen(true)}
          title="Restart every node for maintenance, one at a time: replicas first, each master after a failover"
          data-testid="rolling-restart-open"
        >
          Rolling restart…
        </button>
      )}
      {open && (
        <RollingRestartDialog
          clusterId={clusterId}
          clusterName={clusterName}
          stopped={job && job.state !== 'running' && job.state !== 'succeeded' ? job : undefined}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
