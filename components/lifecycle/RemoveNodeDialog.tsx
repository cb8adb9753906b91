'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { removePlanQuery, startRemoveNode } from '@/lib/client/nodeLifecycle';
import { queryKeys } from '@/lib/client/queries';
import type { SnapshotNode } from '@/lib/cluster/types';
import { OperationDialog, TypedConfirmation } from '../operations/OperationDialog';
import { PlanSteps, StartedJob } from './StartedJob';

/**
 * Remove a node as redis-cli del-node does: the plan (replicas re-homed, FORGET everywhere, verified, reset), the node
 * id typed to confirm, then the job's steps live. A master that still owns slots is refused, with its drain offered.
 */
export function RemoveNodeDialog({
  clusterId,
  node,
  onClose,
  onDrain,
}: {
  clusterId: string;
  node: SnapshotNode;
  onClose: () => void;
  /** Opens the drain dialog for this master (operators); absent = not offered. */
  onDrain?: (nodeId: string) => void;
}) {
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [jobId, setJobId] = useState<string>();
  const plan = useQuery({ ...removePlanQuery(clusterId, node.id), enabled: jobId === undefined });
  const decision = plan.data;
  const label = node.addr || node.id;

  async function begin() {
    setError(undefined);
    setStarting(true);
    try {
      const started = await startRemoveNode(clusterId, node.id, confirm);
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
      name="remove-node"
      dialog={dialog}
      title={`Remove node ${label}`}
      onClose={onClose}
      refused={
        !jobId && decision && !decision.ok ? (
          <>
            <p>Nothing to confirm: {label} cannot be removed as it is.</p>
            {decision.drainFirst && onDrain && (
              <button
                type="button"
                className="rounded border border-border px-3 py-1 text-sm hover:border-warn"
                onClick={() => onDrain(node.id)}
                data-testid="remove-node-drain-first"
              >
                Drain first…
              </button>
            )}
          </>
        ) : undefined
      }
      footer={
        jobId ? (
          <p className="text-xs text-muted">The job runs on the server: closing this leaves it running.</p>
        ) : (
          <>
            <TypedConfirmation
              name="remove-node"
              what="the node’s id"
              expected={node.id}
              value={confirm}
              onChange={setConfirm}
              error={error}
            />
            <button
              type="button"
              disabled={!decision?.ok || confirm !== node.id || starting}
              onClick={() => void begin()}
              className="rounded bg-crit px-4 py-2 font-semibold text-bg disabled:opacity-60"
              data-testid="remove-node-start"
            >
              Start: remove {label}
            </button>
          </>
        )
      }
    >
      {jobId ? (
        <StartedJob jobId={jobId} name="remove-node" />
      ) : (
        <>
          <p className="text-sm text-muted">
            The plan is what the job runs, read from the latest poll. Nothing changes until you start it.
          </p>
          {plan.error && (
            <p className="text-sm text-crit" role="alert">
              No plan: {plan.error.message}
            </p>
          )}
          {decision && !decision.ok && (
            <p className="font-semibold text-crit" role="alert" data-testid="remove-node-refused">
              Refused: {decision.reason}
            </p>
          )}
          {decision?.ok && (
            <PlanSteps name="remove-node" steps={decision.plan.steps.map((s) => s.name)} notes={decision.plan.notes} />
          )}
        </>
      )}
    </OperationDialog>
  );
}
