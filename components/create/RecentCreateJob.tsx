'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CREATE_JOBS_CLUSTER_ID } from '@/lib/client/createCluster';
import { jobsQuery } from '@/lib/client/queries';
import { recentJobs } from '@/lib/jobs/recent';
import { useNow } from '../cluster/useNow';
import { CreateProgress } from './CreateProgress';

/**
 * The latest create-cluster job, running or ended within the hour, as the page showed it before a reload: its steps
 * live and, once it succeeded, "Add to dashboard" (the job holds everything that needs; the form does not).
 */
export function RecentCreateJob() {
  const now = useNow(5000);
  const jobs = useQuery(jobsQuery(CREATE_JOBS_CLUSTER_ID));
  const [hidden, setHidden] = useState<string>();
  const job = recentJobs(jobs.data, ['create-cluster'], now)[0];
  if (!job || hidden === job.id) return null;
  return (
    <section className="space-y-2 rounded border border-border p-3" data-testid="create-recent" data-job-id={job.id}>
      <div className="flex flex-wrap items-baseline gap-3">
        <h2 className="font-semibold">{job.state === 'running' ? 'Create job running' : 'Last create job'}</h2>
        {job.state !== 'running' && (
          <button type="button" className="text-sm underline" onClick={() => setHidden(job.id)}>
            Hide
          </button>
        )}
      </div>
      <CreateProgress jobId={job.id} />
    </section>
  );
}
