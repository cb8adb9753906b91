'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { fixPlanQuery, startFix } from '@/lib/client/fix';
import { queryKeys } from '@/lib/client/queries';
import type { SnapshotNode } from '@/lib/cluster/types';
import type { FixCase } from '@/lib/plan/fix';
import { PlanChecks } from '../failover/PlanChecks';
import { FailedChecks, OperationDialog, TypedConfirmation } from '../operations/OperationDialog';

const _input = 'rounded border border-border bg-bg px-2 py-1 text-sm';

/** Each case as an SRE reads it: what is wrong with the slot, and what the fix does about it. */
const CASE_WORDS: Record<FixCase, string> = {
  migrating_and_importing: 'a move left half-way: finished towards the importing node',
  importing_only: 'marked importing with no migrating side: its keys go back to the owner, then it is closed',
  migrating_many_importing: 'one node migrating, several importing: moved to the node the migrating side names',
  migrating_no_keys: 'marked migrating with no keys left: closed',
  migrating_only: 'marked migrating, no node importing: closed, the keys stay with the owner',
  uncovered_no_keys: 'served by no master and no keys anywhere: given to a master',
  uncovered_one_holder: 'served by no master, keys on one node: that node takes it',
  uncovered_many_holders:
    'served by no master, keys on several nodes: the one with most keys takes it, the others’ keys move to it',
};

/**
 * The repair redis-cli --cluster fix would make, as a plan per slot read from every master's own view and key counts
 * (it changes nothing), then the typed cluster name and Start. "Fix with unreachable masters" is offered to admins only.
 */
export function FixDialog({
  clusterId,
  clusterName,
  nodes,
  isAdmin,
  onClose,
  onStarted,
}: {
  clusterId: string;
  clusterName: string;
  nodes: SnapshotNode[];
  isAdmin: boolean;
  onClose: () => void;
  onStarted: (jobId: string) => void;
}) {
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const addr = (id: string) => nodes.find((n) => n.id === id)?.addr ?? id.slice(0, 8);
  const [withUnreachable, setWithUnreachable] = useState(false);
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const request = withUnreachable ? { withUnreachableMasters: true } : {};
  const plan = useQuery(fixPlanQuery(clusterId, request));
  const preview = plan.data;
  const ready = preview !== undefined && !plan.isFetching;
  const blocked = preview && !preview.allowed ? preview.checks.filter((c) => c.status === 'fail') : [];

  async function begin() {
    if (!ready) return;
    setError(undefined);
    setStarting(true);
    try {
      const started = await startFix(clusterId, request, confirm);
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs(clusterId) });
      if (started?.jobId) onStarted(started.jobId);
      dialog.current?.close();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setStarting(false);
    }
  }

  return (
    <OperationDialog
      name="fix"
      dialog={dialog}
      title={'Fix open and unserved slots'}
      onClose={onClose}
      refused={
        blocked.length > 0 ? (
          <FailedChecks
            failed={blocked}
            wayOut={
              preview?.refused && isAdmin && !withUnreachable
                ? 'If those masters are gone for good, an admin can tick “Fix with unreachable masters” above.'
                : undefined
            }
          />
        ) : undefined
      }
      footer={
        <>
          <TypedConfirmation
            name="fix"
            what={'the cluster’s name'}
            expected={clusterName}
            value={confirm}
            onChange={setConfirm}
            error={error}
          />
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="button"
              disabled={!ready || !preview?.allowed || confirm !== clusterName || starting}
              onClick={() => void begin()}
              className="rounded bg-warn px-4 py-2 font-semibold text-bg disabled:opacity-60"
              data-testid="fix-start"
            >
              {preview && ready && preview.actions.length > 0
                ? `Start: fix ${new Set(preview.actions.map((a) => a.slot)).size} slot(s)`
                : 'Start'}
            </button>
            <span className="text-xs text-muted">
              Progress shows on the cluster page for everyone watching; the finding goes once the slots are fixed.
            </span>
          </div>
        </>
      }
    >
      <p className="text-sm text-muted">
        The plan is what <code>redis-cli --cluster fix</code> would do, slot by slot, read now from every master’s own
        view and key counts. Nothing changes until you start it.
      </p>
      {isAdmin && (
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={withUnreachable}
            onChange={(e) => setWithUnreachable(e.target.checked)}
            data-testid="fix-with-unreachable"
          />
          <span>
            Fix with unreachable masters{' '}
            <span className="text-muted">
              (admin: their slots count as unserved and go to other masters; keys on them are lost to the cluster)
            </span>
          </span>
        </label>
      )}
      {plan.error && (
        <p className="text-sm text-crit" role="alert" data-testid="fix-plan-error">
          No plan: {plan.error.message}
        </p>
      )}
      {plan.isFetching && (
        <p className="text-sm text-muted" role="status">
          Reading every master’s view and counting keys in the slots concerned…
        </p>
      )}
      {preview && (
        <div className={`space-y-3 ${plan.isFetching ? 'opacity-60' : ''}`} data-testid="fix-preview">
          {preview.refused && (
            <p className="font-semibold text-crit" role="alert" data-testid="fix-refused">
              {preview.refused}
            </p>
          )}
          <p className="text-base" data-testid="fix-summary">
            {preview.actions.length === 0 ? (
              <strong>Nothing to fix.</strong>
            ) : (
              <strong>
                {preview.actions.length} action{preview.actions.length === 1 ? '' : 's'} on{' '}
                {new Set(preview.actions.map((a) => a.slot)).size} slot(s)
              </strong>
            )}
          </p>
          {preview.actions.length > 0 && (
            <ol className="space-y-2" data-testid="fix-actions">
              {preview.actions.map((a) => (
                <li
                  key={`${a.slot}-${a.case}-${a.owner}`}
                  className="rounded border border-border px-3 py-2 text-sm"
                  data-testid="fix-action"
                  data-slot={a.slot}
                  data-case={a.case}
                  data-owner={a.owner}
                >
                  <p>
                    <strong>slot {a.slot}</strong>: {CASE_WORDS[a.case]}; owner afterwards{' '}
                    <strong>{addr(a.owner)}</strong>
                    {a.moveKeysFrom.length > 0 && (
                      <span className="text-muted"> (keys from {a.moveKeysFrom.map(addr).join(', ')})</span>
                    )}
                  </p>
                  <ul className="tabular mt-1 list-inside list-disc text-xs text-muted">
                    {a.steps.map((s) => (
                      <li key={s}>{s}</li>
                    ))}
                  </ul>
                </li>
              ))}
            </ol>
          )}
          {preview.unhandled.length > 0 && (
            <div className="rounded border border-crit/60 px-3 py-2 text-sm" data-testid="fix-unhandled">
              <p className="font-semibold text-crit">Not fixable this way (redis-cli gives up on them too):</p>
              <ul className="list-inside list-disc">
                {preview.unhandled.map((u) => (
                  <li key={u.slot}>
                    slot {u.slot}: {u.why}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {preview.notes.length > 0 && (
            <ul className="list-inside list-disc text-sm text-muted" data-testid="fix-notes">
              {preview.notes.map((n) => (
                <li key={n}>{n}</li>
              ))}
            </ul>
          )}
          <PlanChecks checks={preview.checks} testId="fix" />
          <button
            type="button"
            className="rounded border border-border px-3 py-1 text-xs"
            onClick={() => void plan.refetch()}
            disabled={plan.isFetching}
          >
            Read again
          </button>
        </div>
      )}
    </OperationDialog>
  );
}
