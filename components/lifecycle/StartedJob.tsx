'use client';

import { useQuery } from '@tanstack/react-query';
import { jobQuery } from '@/lib/client/queries';
import { JobProgress } from '../failover/JobProgress';

/** A job started from a dialog, live: its steps arrive over the stream into the react-query cache (and by polling). */
export function StartedJob({ jobId, name }: { jobId: string; name: string }) {
  const job = useQuery(jobQuery(jobId));
  if (job.error)
    return (
      <p className="text-sm text-crit" role="alert">
        Job {jobId}: {job.error.message}
      </p>
    );
  if (!job.data)
    return (
      <p className="text-sm text-muted" role="status">
        Job {jobId} started…
      </p>
    );
  return (
    <div data-testid={`${name}-job`} data-state={job.data.state}>
      <JobProgress job={job.data} />
    </div>
  );
}

/** The plan's steps in the order the job runs them, and its notes. */
export function PlanSteps({ name, steps, notes }: { name: string; steps: string[]; notes: string[] }) {
  return (
    <div className="space-y-2" data-testid={`${name}-plan`}>
      <ol className="list-inside list-decimal space-y-1 text-sm">
        {steps.map((s) => (
          <li key={s} data-testid={`${name}-step`}>
            {s}
          </li>
        ))}
      </ol>
      {notes.length > 0 && (
        <ul className="list-inside list-disc text-sm text-warn" data-testid={`${name}-notes`}>
          {notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
