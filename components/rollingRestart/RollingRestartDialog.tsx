'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { queryKeys } from '@/lib/client/queries';
import { type RollingRestartJob, rollingRestartPlanQuery, startRollingRestart } from '@/lib/client/rollingRestart';
import type { RollingRestartStep } from '@/lib/plan/rollingRestart';
import { OperationDialog, TypedConfirmation } from '../operations/OperationDialog';

const KIND_LABEL: Record<RollingRestartStep['kind'], string> = {
  restart: 'you restart',
  failover: 'failover',
  failback: 'failback',
  skip: 'left out',
};

/**
 * Start a rolling restart: fail back or not, lone masters acknowledged or left out; the order the job will follow
 * (the same plan it runs), what blocks it now, then the typed confirmation (the cluster's name).
 */
export function RollingRestartDialog({
  clusterId,
  clusterName,
  stopped,
  onClose,
}: {
  clusterId: string;
  clusterName: string;
  /** A rolling restart that stopped (failed, cancelled, interrupted): the nodes it restarted can be left out. */
  stopped?: RollingRestartJob;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const [failBack, setFailBack] = useState(true);
  const [restartLoneMasters, setRestartLoneMasters] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const done = stopped?.rollingRestart?.restarted ?? [];
  const [leaveOutDone, setLeaveOutDone] = useState(done.length > 0);
  const request = { failBack, restartLoneMasters, skipNodeIds: leaveOutDone ? done : [] };
  const plan = useQuery(rollingRestartPlanQuery(clusterId, request));
  const preview = plan.data;
  const lone = preview?.steps.some((s) => s.kind === 'skip' || (s.kind === 'restart' && s.role === 'lone-master'));

  async function begin() {
    setError(undefined);
    setStarting(true);
    try {
      await startRollingRestart(clusterId, request, confirm);
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs(clusterId) });
      dialog.current?.close();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setStarting(false);
    }
  }

  return (
    <OperationDialog
      name="rolling-restart"
      dialog={dialog}
      title="Rolling restart: every node, one at a time"
      onClose={onClose}
      refused={
        preview && !preview.allowed ? (
          <p>
            <strong>Blocked:</strong> the cluster is not healthy enough to restart a node (the reasons are above).
            Nothing can start until they clear; the plan reads the cluster again on its own.
          </p>
        ) : undefined
      }
      footer={
        <>
          <TypedConfirmation
            name="rolling-restart"
            what="the cluster’s name"
            expected={clusterName}
            value={confirm}
            onChange={setConfirm}
            error={error}
          />
          <button
            type="button"
            disabled={!preview?.allowed || confirm !== clusterName || starting}
            onClick={() => void begin()}
            className="rounded bg-warn px-4 py-2 font-semibold text-bg disabled:opacity-60"
            data-testid="rolling-restart-start"
          >
            Start the rolling restart
          </button>
        </>
      }
    >
      <p className="text-sm">
        The dashboard does not restart anything itself: at each “restart” step it shows which node to restart, and goes
        on once it sees the node’s <code>run_id</code> change (and, for a replica, its link up again). Replicas first;
        then each master is failed over to its best replica before you restart it. Before each step it checks the
        cluster’s health, and it stops if the health degrades.
      </p>
      <div className="flex flex-wrap gap-6 text-sm">
        <label className="flex items-center gap-2">
          <input
            type="checkbox"
            checked={failBack}
            onChange={(e) => setFailBack(e.target.checked)}
            data-testid="rolling-restart-failback"
          />
          Fail back after each master’s restart (every shard ends on its old master)
        </label>
        {done.length > 0 && (
          <label className="flex items-center gap-2">
            <input
              type="checkbox"
              checked={leaveOutDone}
              onChange={(e) => setLeaveOutDone(e.target.checked)}
              data-testid="rolling-restart-leave-out"
            />
            Leave out the {done.length} node{done.length === 1 ? '' : 's'} the stopped rolling restart ({stopped?.state}
            ) already restarted
          </label>
        )}
        {lone && (
          <label className="flex items-center gap-2 text-crit">
            <input
              type="checkbox"
              checked={restartLoneMasters}
              onChange={(e) => setRestartLoneMasters(e.target.checked)}
              data-testid="rolling-restart-lone"
            />
            Also restart masters without a replica: their slots are unavailable while they restart
          </label>
        )}
      </div>
      {plan.error && <p className="text-sm text-crit">{plan.error.message}</p>}
      {preview && preview.blockers.length > 0 && (
        <ul
          className="rounded border border-crit/60 bg-crit/10 px-4 py-2 text-sm"
          data-testid="rolling-restart-blockers"
        >
          {preview.blockers.map((b) => (
            <li key={b}>{b}</li>
          ))}
        </ul>
      )}
      {preview?.notes.map((n) => (
        <p key={n} className="text-sm text-warn">
          {n}
        </p>
      ))}
      {preview && (
        <ol className="list-decimal space-y-1 pl-6 text-sm" data-testid="rolling-restart-plan">
          {preview.steps.map((s) => (
            <li key={s.name} className={s.kind === 'skip' ? 'text-muted' : undefined}>
              <span className="mr-2 rounded border border-border px-1 text-xs text-muted">{KIND_LABEL[s.kind]}</span>
              {s.name}
              {s.kind === 'skip' && <span className="block text-xs">{s.reason}</span>}
            </li>
          ))}
        </ol>
      )}
    </OperationDialog>
  );
}
