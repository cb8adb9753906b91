'use client';

import { useState } from 'react';
import type { CreateClusterPreview } from '@/lib/api/createCluster';
import { parseNodeList } from '@/lib/client/createCluster';
import { apiPost } from '@/lib/client/mutate';
import { TypedConfirmation } from '../operations/OperationDialog';
import { CreatePreview } from './CreatePreview';
import { CreateProgress } from './CreateProgress';
import { RecentCreateJob } from './RecentCreateJob';

type Login = { kind: 'none' } | { kind: 'typed' } | { kind: 'cluster'; id: string };

const field = 'rounded border border-border bg-bg px-2 py-1';

/**
 * Create a cluster: addresses and replicas per master, the login, then the preview by host (the layout the job
 * applies), the first node's address typed to confirm, live progress and "Add to dashboard".
 */
export function CreateClusterForm({
  clusters,
  defaultLoginFrom,
}: {
  clusters: Array<{ id: string; name: string }>;
  /** The configured cluster whose login new nodes most likely share (the first with a password); else none. */
  defaultLoginFrom?: string;
}) {
  const [text, setText] = useState('');
  const [replicas, setReplicas] = useState(1);
  const [login, setLogin] = useState<Login>(
    defaultLoginFrom ? { kind: 'cluster', id: defaultLoginFrom } : { kind: 'none' },
  );
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [preview, setPreview] = useState<CreateClusterPreview>();
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [jobId, setJobId] = useState<string>();
  const nodes = parseNodeList(text);
  const request = {
    nodes,
    replicas,
    ...(login.kind === 'cluster' ? { loginFrom: login.id } : {}),
    ...(login.kind === 'typed' && username ? { username } : {}),
    ...(login.kind === 'typed' && password ? { password } : {}),
  };
  const changed = () => {
    setPreview(undefined);
    setError(undefined);
  };
  const askPreview = async () => {
    setError(undefined);
    try {
      setPreview(await apiPost<CreateClusterPreview>('/api/clusters/create/plan', request));
    } catch (err) {
      setPreview(undefined);
      setError((err as Error).message);
    }
  };
  const start = async () => {
    if (!preview) return;
    setError(undefined);
    try {
      const started = await apiPost<{ jobId: string }>('/api/clusters/create', {
        ...request,
        nodeIds: preview.nodeIds,
        confirm,
      });
      setJobId(started?.jobId);
    } catch (err) {
      setError((err as Error).message);
    }
  };
  if (jobId) return <CreateProgress jobId={jobId} />;
  return (
    <div className="space-y-4" data-testid="create-form">
      <RecentCreateJob />
      <label className="flex flex-col gap-1 text-sm">
        <span className="text-muted">
          Empty cluster-enabled nodes, host:port, one per line. The order decides the masters, as in redis-cli.
        </span>
        <textarea
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            changed();
          }}
          rows={6}
          className={`${field} font-mono`}
          spellCheck={false}
          data-testid="create-nodes"
        />
      </label>
      <div className="flex flex-wrap items-end gap-4 text-sm">
        <label className="flex flex-col gap-1">
          <span className="text-muted">Replicas per master</span>
          <input
            type="number"
            min={0}
            max={10}
            value={replicas}
            onChange={(e) => {
              setReplicas(Number(e.target.value));
              changed();
            }}
            className={`${field} w-24`}
            data-testid="create-replicas"
          />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-muted">Login on the new nodes</span>
          <select
            value={login.kind === 'cluster' ? `cluster:${login.id}` : login.kind}
            onChange={(e) => {
              const v = e.target.value;
              setLogin(
                v.startsWith('cluster:')
                  ? { kind: 'cluster', id: v.slice(8) }
                  : { kind: v === 'typed' ? 'typed' : 'none' },
              );
              changed();
            }}
            className={field}
          >
            <option value="none">no password</option>
            <option value="typed">type a username / password</option>
            {clusters.map((c) => (
              <option key={c.id} value={`cluster:${c.id}`}>
                same as {c.name} ({c.id})
              </option>
            ))}
          </select>
        </label>
        {login.kind === 'typed' && (
          <>
            <input
              placeholder="username (optional)"
              value={username}
              onChange={(e) => {
                setUsername(e.target.value);
                changed();
              }}
              className={field}
              autoComplete="off"
            />
            <input
              type="password"
              placeholder="password"
              value={password}
              onChange={(e) => {
                setPassword(e.target.value);
                changed();
              }}
              className={field}
              autoComplete="new-password"
            />
          </>
        )}
        <button
          type="button"
          onClick={askPreview}
          disabled={nodes.length === 0}
          className="rounded border border-border px-3 py-1"
          data-testid="create-preview-button"
        >
          Preview
        </button>
      </div>
      {preview && <CreatePreview preview={preview} />}
      {preview && (
        <div className="space-y-2 border-t border-border pt-3">
          <p className="text-sm">
            The job assigns the slots, sets the config epochs 1..{nodes.length} in the order given, MEETs every node
            with <span className="font-mono">{nodes[0]}</span>, then makes the replicas and waits until every node
            agrees.
          </p>
          <TypedConfirmation
            name="create"
            what="the first node's address"
            expected={nodes[0] ?? ''}
            value={confirm}
            onChange={setConfirm}
            error={error}
          />
          <button
            type="button"
            onClick={start}
            disabled={confirm !== nodes[0]}
            className="rounded border border-warn px-3 py-1 text-sm"
            data-testid="create-start"
          >
            Create the cluster
          </button>
        </div>
      )}
      {!preview && error && (
        <p className="text-sm text-crit" role="alert" data-testid="create-error">
          {error}
        </p>
      )}
    </div>
  );
}
