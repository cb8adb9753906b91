'use client';

import { useQuery } from '@tanstack/react-query';
import { jobsQuery } from '@/lib/client/queries';
import { recentJobs } from '@/lib/jobs/recent';
import { useNow } from '../cluster/useNow';
import { jobTitle } from '../lifecycle/LifecycleJobs';
import { ConfigSetJob } from './ConfigSetJob';

/** The running or last-hour "set on every node" job, found again after a reload (the dialog held only its id). */
export function RecentConfigSet({ clusterId }: { clusterId: string }) {
  const now = useNow(5000);
  const jobs = useQuery(jobsQuery(clusterId));
  const job = recentJobs(jobs.data, ['config-set'], now)[0];
  if (!job) return null;
  return (
    <section
      className="space-y-2 rounded border border-border p-3"
      data-testid="config-set-recent"
      data-job-id={job.id}
    >
      <h2 className="font-semibold">
        {job.state === 'running' ? 'Running: ' : 'Last: '}
        {jobTitle(job)}
      </h2>
      <ConfigSetJob jobId={job.id} />
    </section>
  );
}
