'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { moveReplicaPlanQuery, startMoveReplica } from '@/lib/client/nodeLifecycle';
import { queryKeys } from '@/lib/client/queries';
import type { SnapshotNode } from '@/lib/cluster/types';
import { shortId } from '@/lib/format';
import { OperationDialog, TypedConfirmation } from '../operations/OperationDialog';
import { PlanSteps, StartedJob } from './StartedJob';

const input = 'rounded border border-border bg-bg px-2 py-1 text-sm';

/** Move a replica to another master (CLUSTER REPLICATE): the master chosen or the default shown, the plan, confirm. */
export function MoveReplicaDialog({
  clusterId,
  replica,
  nodes,
  onClose,
}: {
  clusterId: string;
  replica: SnapshotNode;
  nodes: SnapshotNode[];
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [masterId, setMasterId] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [jobId, setJobId] = useState<string>();
  const plan = useQuery({
    ...moveReplicaPlanQuery(clusterId, replica.id, masterId || undefined),
    enabled: jobId === undefined,
  });
  const decision = plan.data;
  const masters = nodes.filter((n) => n.role === 'master' && n.id !== replica.masterId && n.slotCount > 0);
  const replicasOf = (id: string) => nodes.filter((n) => n.role === 'replica' && n.masterId === id).length;

  async function begin() {
    if (!decision?.ok) return;
    setError(undefined);
    setStarting(true);
    try {
      const started = await startMoveReplica(clusterId, replica.id, decision.plan.to.id, confirm);
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs(clusterId) });
      if (started?.jobId) setJobId(started.jobId);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setStarting(false);
    }
  }

  return (
    <OperationDialog
      name="move-replica"
      dialog={dialog}
      title={`Move replica ${replica.addr}`}
      onClose={onClose}
      refused={
        !jobId && decision && !decision.ok ? (
          <p>Nothing to confirm while the move is refused: pick another master above, or close.</p>
        ) : undefined
      }
      footer={
        jobId ? (
          <p className="text-xs text-muted">The job runs on the server: closing this leaves it running.</p>
        ) : (
          <>
            <TypedConfirmation
              name="move-replica"
              what="the replica’s node id"
              expected={replica.id}
              value={confirm}
              onChange={setConfirm}
              error={error}
            />
            <button
              type="button"
              disabled={!decision?.ok || confirm !== replica.id || starting || plan.isFetching}
              onClick={() => void begin()}
              className="rounded bg-warn px-4 py-2 font-semibold text-bg disabled:opacity-60"
              data-testid="move-replica-start"
            >
              {decision?.ok ? `Start: replicate ${decision.plan.to.addr}` : 'Start'}
            </button>
          </>
        )
      }
    >
      {jobId ? (
        <StartedJob jobId={jobId} name="move-replica" />
      ) : (
        <>
          <label className="flex flex-wrap items-center gap-2 text-sm">
            <span>New master</span>
            <select
              className={input}
              value={masterId}
              onChange={(e) => setMasterId(e.target.value)}
              data-testid="move-replica-master"
            >
              <option value="">default: fewest replicas, on another host</option>
              {masters.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.addr} ({shortId(m.id)}, {replicasOf(m.id)} replica{replicasOf(m.id) === 1 ? '' : 's'})
                </option>
              ))}
            </select>
          </label>
          {plan.error && (
            <p className="text-sm text-crit" role="alert">
              No plan: {plan.error.message}
            </p>
          )}
          {decision && !decision.ok && (
            <p className="font-semibold text-crit" role="alert" data-testid="move-replica-refused">
              Refused: {decision.reason}
            </p>
          )}
          {decision?.ok && (
            <>
              <p className="text-sm" data-testid="move-replica-target">
                From <strong>{decision.plan.from.addr || shortId(decision.plan.from.id)}</strong> to{' '}
                <strong>{decision.plan.to.addr}</strong> ({decision.plan.to.replicas} replica
                {decision.plan.to.replicas === 1 ? '' : 's'} now
                {decision.plan.to.sameHost ? ', same host as this replica' : ', another host'})
                {decision.plan.defaulted ? ' — the default choice' : ''}
              </p>
              <PlanSteps name="move-replica" steps={decision.plan.steps} notes={decision.plan.notes} />
            </>
          )}
        </>
      )}
    </OperationDialog>
  );
}
