'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { jobsQuery } from '@/lib/client/queries';
import { recentJobs } from '@/lib/jobs/recent';
import type {
  AddNodeParams,
  AddNodeResult,
  ConfigSetParams,
  Job,
  MoveReplicaParams,
  RemoveNodeParams,
} from '@/lib/jobs/types';
import { JobSteps } from '../operations/JobSteps';

/** The node lifecycle jobs whose dialog holds their id only in its state: a reload finds them here. */
export const LIFECYCLE_KINDS = ['add-node', 'move-replica', 'remove-node'] as const;

const short = (id: string | undefined) => id?.slice(0, 8) ?? '?';

/** What the job was asked, in one line, from its params (known from its start). */
export function jobTitle(job: Job): string {
  if (job.kind === 'add-node') {
    const p = job.params as AddNodeParams | undefined;
    if (!p) return 'Add node';
    return `Add node ${p.addr} as ${p.role}${p.masterId ? ` of ${short(p.masterId)}` : ''}`;
  }
  if (job.kind === 'move-replica') {
    const p = job.params as MoveReplicaParams | undefined;
    return p ? `Move replica ${p.replicaAddr} to ${p.masterAddr}` : 'Move replica';
  }
  if (job.kind === 'remove-node') {
    const p = job.params as RemoveNodeParams | undefined;
    return p ? `Remove node ${p.addr || short(p.nodeId)} (${p.role})` : 'Remove node';
  }
  if (job.kind === 'config-set') {
    const p = job.params as ConfigSetParams | undefined;
    return p ? `Set ${Object.keys(p.params).join(', ')} on every node` : 'Set config on every node';
  }
  return job.kind;
}

/** The notes a job's result carries (remove-node, move-replica), and what an add-node leaves to do. */
function resultNotes(job: Job): string[] {
  const r = job.result as { notes?: unknown } | undefined;
  const notes = Array.isArray(r?.notes) ? r.notes.filter((n): n is string => typeof n === 'string') : [];
  if (job.kind === 'add-node' && job.state === 'succeeded' && (job.result as AddNodeResult | undefined)?.offerRebalance)
    notes.push('The new master holds no slot: Rebalance… with "use empty masters" moves slots onto it.');
  return notes;
}

/**
 * The running and recently ended jobs of these kinds on the cluster (from the jobs list the stream keeps current),
 * each with its steps live: what a reload in the middle of a dialog's job would otherwise lose.
 */
export function LifecycleJobs({
  clusterId,
  canView,
  now,
  kinds = LIFECYCLE_KINDS,
}: {
  clusterId: string;
  canView: boolean;
  now: number;
  kinds?: readonly string[];
}) {
  const jobs = useQuery({ ...jobsQuery(clusterId), enabled: canView });
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set());
  const shown = recentJobs(jobs.data, kinds, now).filter((j) => !hidden.has(j.id));
  if (shown.length === 0) return null;
  return (
    <section className="space-y-3" aria-labelledby="lifecycle-jobs-heading" data-testid="lifecycle-jobs">
      <h2 id="lifecycle-jobs-heading" className="text-lg font-semibold">
        Node jobs
      </h2>
      {shown.map((job) => {
        const notes = resultNotes(job);
        return (
          <div
            key={job.id}
            className="space-y-2 rounded border border-border p-3"
            data-testid="lifecycle-job-panel"
            data-kind={job.kind}
            data-job-id={job.id}
          >
            <div className="flex flex-wrap items-baseline gap-3">
              <h3 className="font-medium">{jobTitle(job)}</h3>
              {job.state !== 'running' && (
                <button
                  type="button"
                  className="text-sm underline"
                  onClick={() => setHidden(new Set([...hidden, job.id]))}
                >
                  Hide
                </button>
              )}
            </div>
            <JobSteps job={job} name="lifecycle">
              {notes.length > 0 && (
                <ul className="list-disc pl-5 text-sm text-warn" data-testid="lifecycle-notes">
                  {notes.map((n) => (
                    <li key={n}>{n}</li>
                  ))}
                </ul>
              )}
              {job.state === 'running' && (
                <p className="text-xs text-muted">The job runs on the server: this page follows it live.</p>
              )}
            </JobSteps>
          </div>
        );
      })}
    </section>
  );
}
