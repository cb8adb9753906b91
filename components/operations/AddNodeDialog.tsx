'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { addNodeJobQuery, addNodePlanQuery, startAddNode } from '@/lib/client/addNode';
import { queryKeys } from '@/lib/client/queries';
import type { SnapshotNode } from '@/lib/cluster/types';
import { HostPort } from '@/lib/config/schema';
import { hostOf } from '@/lib/plan/addNode';
import { AddNodePreview } from './AddNodePreview';
import { JobSteps } from './JobSteps';
import { OperationDialog, TypedConfirmation } from './OperationDialog';

type Role = 'master' | 'replica';
const input = 'rounded border border-border bg-bg px-2 py-1 text-sm';

/**
 * Add a node: the typed address is checked (allowedTargets, then reads only) and the planner's decision shown — a
 * refusal in plain words, or the plan with a replica's master (the default: fewest replicas, another host; or the
 * operator's choice). Then the address typed again, Start, and the job's steps live. A new master is offered a
 * rebalance with "use empty masters".
 */
export function AddNodeDialog({
  clusterId,
  nodes,
  onClose,
  onRebalance,
}: {
  clusterId: string;
  nodes: SnapshotNode[];
  onClose: () => void;
  /** Opens the rebalance dialog with "use empty masters" set. */
  onRebalance: () => void;
}) {
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [addr, setAddr] = useState('');
  const [checked, setChecked] = useState<{ addr: string; attempt: number }>();
  const [role, setRole] = useState<Role>('master');
  const [masterId, setMasterId] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [jobId, setJobId] = useState<string>();
  const request = checked && {
    addr: checked.addr,
    role,
    ...(role === 'replica' && masterId ? { masterId } : {}),
  };
  const plan = useQuery({
    ...addNodePlanQuery(clusterId, request ?? { addr: '', role }, checked?.attempt ?? 0),
    enabled: request !== undefined && jobId === undefined,
  });
  const job = useQuery({ ...addNodeJobQuery(jobId ?? ''), enabled: jobId !== undefined });
  const typed = addr.trim();
  const wellFormed = HostPort.safeParse(typed).success;
  const stale = checked?.addr !== typed;
  const preview = stale || plan.isFetching ? undefined : plan.data;
  const masters = nodes
    .filter((n) => n.role === 'master' && n.slotCount > 0 && !n.flags.includes('fail'))
    .sort((a, b) => a.addr.localeCompare(b.addr));
  const replicasOf = (id: string) => nodes.filter((n) => n.role === 'replica' && n.masterId === id).length;
  const j = job.data;
  const locked = jobId !== undefined;

  async function begin() {
    if (!request || !preview?.decision.ok) return;
    setError(undefined);
    setStarting(true);
    try {
      const started = await startAddNode(clusterId, { ...request, confirm });
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs(clusterId) });
      setJobId(started?.jobId);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setStarting(false);
    }
  }

  return (
    <OperationDialog
      name="add-node"
      dialog={dialog}
      title={checked && !stale ? `Add ${checked.addr} to the cluster` : 'Add a node to the cluster'}
      onClose={onClose}
      footer={
        locked ? (
          <div className="flex flex-wrap items-center gap-3 text-sm" data-testid="add-node-after">
            {j?.state === 'succeeded' && j.result?.offerRebalance ? (
              <>
                <span>{j.result.addr} is a master with no slot yet.</span>
                <button
                  type="button"
                  className="rounded bg-warn px-4 py-2 font-semibold text-bg"
                  onClick={() => {
                    dialog.current?.close();
                    onRebalance();
                  }}
                  data-testid="add-node-rebalance"
                >
                  Rebalance onto it…
                </button>
                <span className="text-xs text-muted">opens the rebalance with “use empty masters” set</span>
              </>
            ) : (
              <span className="text-muted">
                {j?.state === 'running' || !j
                  ? 'Running: the steps update as the job reports them. The job runs on the server: closing this leaves it running.'
                  : j.state === 'succeeded'
                    ? `Done: ${j.result?.addr ?? 'the node'} is in the cluster.`
                    : `The job ${j.state}: the steps say where it stopped.`}
              </span>
            )}
          </div>
        ) : (
          <>
            <TypedConfirmation
              name="add-node"
              what="the new node’s address"
              expected={checked?.addr ?? 'host:port'}
              value={confirm}
              onChange={setConfirm}
              error={error}
            />
            <button
              type="button"
              disabled={!preview?.decision.ok || confirm !== checked?.addr || starting}
              onClick={() => void begin()}
              className="rounded bg-warn px-4 py-2 font-semibold text-bg disabled:opacity-60"
              data-testid="add-node-start"
            >
              {preview?.decision.ok ? `Start: add ${checked?.addr} as a ${role}` : 'Start'}
            </button>
          </>
        )
      }
    >
      <form
        className="flex flex-wrap items-end gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          if (wellFormed) setChecked((c) => ({ addr: typed, attempt: (c?.attempt ?? 0) + 1 }));
        }}
      >
        <label className="flex flex-col gap-1 text-sm">
          <span className="font-semibold">Address of the new node (host:port)</span>
          <input
            value={addr}
            onChange={(e) => setAddr(e.target.value)}
            disabled={locked}
            placeholder="10.0.0.7:6379"
            className={`${input} w-64 font-mono`}
            spellCheck={false}
            autoComplete="off"
            data-testid="add-node-addr"
          />
        </label>
        <button
          type="submit"
          disabled={locked || !wellFormed}
          className="rounded border border-border px-3 py-1 text-sm hover:border-warn disabled:opacity-60"
          data-testid="add-node-check"
        >
          Check
        </button>
        <span className="text-xs text-muted">
          Only addresses inside the cluster’s allowedTargets are contacted; the check only reads.
        </span>
      </form>
      <fieldset className="flex flex-wrap items-center gap-4 text-sm" disabled={locked}>
        <legend className="font-semibold">Role</legend>
        {(['master', 'replica'] as const).map((r) => (
          <label key={r} className="flex items-center gap-2">
            <input
              type="radio"
              name="add-node-role"
              checked={role === r}
              onChange={() => setRole(r)}
              data-testid={`add-node-role-${r}`}
            />
            {r}
          </label>
        ))}
        {role === 'replica' && (
          <label className="flex items-center gap-2">
            <span>of master</span>
            <select
              value={masterId}
              onChange={(e) => setMasterId(e.target.value)}
              className={input}
              data-testid="add-node-master"
            >
              <option value="">the default: fewest replicas, another host</option>
              {masters.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.addr} ({replicasOf(m.id)} replica{replicasOf(m.id) === 1 ? '' : 's'}
                  {checked && hostOf(m.connectAddr ?? m.addr) === hostOf(checked.addr) ? ', same host' : ''})
                </option>
              ))}
            </select>
          </label>
        )}
      </fieldset>
      {checked && stale && !locked && (
        <p className="text-sm text-muted" role="status">
          The address changed: Check again.
        </p>
      )}
      {!stale && plan.isFetching && (
        <p className="text-sm text-muted" role="status">
          Checking {checked?.addr}…
        </p>
      )}
      {!stale && plan.error && (
        <p className="text-sm text-crit" role="alert" data-testid="add-node-check-error">
          Not checked: {plan.error.message}
        </p>
      )}
      {preview && <AddNodePreview preview={preview} chosenMaster={masterId !== ''} />}
      {locked && (j ? <JobSteps job={j} name="add-node" /> : <p className="text-sm text-muted">Starting…</p>)}
    </OperationDialog>
  );
}
