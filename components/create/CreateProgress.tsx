'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { AddCreatedClusterResult } from '@/lib/api/createCluster';
import { type CreateClusterJob, createJobQuery } from '@/lib/client/createCluster';
import { apiPost } from '@/lib/client/mutate';
import { formatClock } from '@/lib/format';
import { ProgressBar } from '../common/ProgressBar';

const MARK = { pending: '○', running: '…', done: '✓', failed: '✕', skipped: '–' } as const;
const TONE = {
  pending: 'text-muted',
  running: 'text-warn',
  done: 'text-ok',
  failed: 'text-crit',
  skipped: 'text-muted',
};

function Steps({ job }: { job: CreateClusterJob }) {
  const finished = job.steps.filter((s) => s.state === 'done').length;
  const tone = job.state === 'succeeded' ? 'ok' : job.state === 'running' ? 'warn' : 'crit';
  return (
    <div className="space-y-2" data-testid="create-job" data-state={job.state} data-job-id={job.id}>
      <p className="text-sm">
        <span className="font-semibold">{job.state.toUpperCase()}</span>{' '}
        <span className="text-muted">
          started {formatClock(new Date(job.startedAt))} by {job.startedBy}, job {job.id}
        </span>
      </p>
      <div className="flex items-center gap-3 text-xs">
        <ProgressBar done={finished} total={job.steps.length} label="Steps finished" tone={tone} />
        <span className="tabular text-muted">
          {finished} / {job.steps.length} steps
        </span>
      </div>
      <ol className="space-y-1 text-sm">
        {job.steps.map((s) => (
          <li key={s.name} data-testid="create-step" data-state={s.state} className={TONE[s.state]}>
            <span aria-hidden="true">{MARK[s.state]}</span> <span className="sr-only">{s.state}</span>
            <span className="text-text">{s.name}</span>
            {s.detail ? <span className="ml-2 text-xs text-muted">{s.detail}</span> : null}
          </li>
        ))}
      </ol>
      {job.error && (
        <p className="text-sm text-crit" role="alert" data-testid="create-job-error">
          {job.error}
        </p>
      )}
    </div>
  );
}

/**
 * After success: the new cluster's id and name for the config file, and the variable holding its password when the
 * job had one typed or used a configured cluster's login (the dashboard never writes a literal password).
 */
function AddToDashboard({ job }: { job: CreateClusterJob }) {
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [passwordEnv, setPasswordEnv] = useState('');
  const [error, setError] = useState<string>();
  const [added, setAdded] = useState<AddCreatedClusterResult>();
  const add = async () => {
    setError(undefined);
    try {
      const body = { jobId: job.id, id, name, ...(passwordEnv ? { passwordEnv } : {}) };
      setAdded(await apiPost<AddCreatedClusterResult>('/api/clusters/create/add-to-config', body));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (added)
    return (
      <p className="text-sm" data-testid="create-added">
        Added to {added.configPath}
        {added.reloaded ? '; the dashboard polls it now: ' : ` but not reloaded: ${added.problems?.join('; ')} `}
        <a className="underline" href={`/clusters/${encodeURIComponent(added.id)}`}>
          open {added.id}
        </a>
      </p>
    );
  return (
    <div className="flex flex-wrap items-end gap-3 rounded border border-border p-3 text-sm">
      <label className="flex flex-col gap-1">
        <span className="text-muted">Cluster id</span>
        <input
          value={id}
          onChange={(e) => setId(e.target.value)}
          className="rounded border border-border bg-bg px-2 py-1"
          data-testid="create-config-id"
        />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-muted">Name</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          className="rounded border border-border bg-bg px-2 py-1"
          data-testid="create-config-name"
        />
      </label>
      {(job.params?.loginTyped || job.params?.loginFrom) && (
        <label className="flex flex-col gap-1">
          <span className="text-muted">
            Environment variable holding the password
            {job.params.loginFrom
              ? ` (needed when "${job.params.loginFrom}" has its password written in the config)`
              : ''}
          </span>
          <input
            value={passwordEnv}
            onChange={(e) => setPasswordEnv(e.target.value)}
            className="rounded border border-border bg-bg px-2 py-1 font-mono"
            data-testid="create-config-password-env"
          />
        </label>
      )}
      <button
        type="button"
        onClick={add}
        disabled={!id || !name}
        className="rounded border border-border px-3 py-1"
        data-testid="create-add-to-config"
      >
        Add to dashboard
      </button>
      {error && (
        <p className="w-full text-crit" role="alert" data-testid="create-config-error">
          {error}
        </p>
      )}
    </div>
  );
}

export function CreateProgress({ jobId }: { jobId: string }) {
  const { data: job, error } = useQuery(createJobQuery(jobId));
  const cancel = () => void apiPost(`/api/jobs/${encodeURIComponent(jobId)}/cancel`).catch(() => undefined);
  if (error) return <p className="text-sm text-crit">{(error as Error).message}</p>;
  if (!job) return <p className="text-sm text-muted">Starting…</p>;
  return (
    <div className="space-y-3">
      <Steps job={job} />
      {job.state === 'running' && (
        <button type="button" onClick={cancel} className="rounded border border-border px-3 py-1 text-sm">
          Cancel (stops at the next safe point)
        </button>
      )}
      {job.state === 'succeeded' && <AddToDashboard job={job} />}
    </div>
  );
}
