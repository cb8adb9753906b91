'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { RebalanceRequest } from '@/lib/api/schemas';
import { queryKeys } from '@/lib/client/queries';
import { drainPlanQuery, rebalancePlanQuery, startDrain, startRebalance } from '@/lib/client/rebalance';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatCount } from '@/lib/format';
import { formatRanges } from '@/lib/redis/slots';
import { formatDuration } from '@/lib/reshard/job';
import { Term } from '../common/Term';
import { useDebounced } from '../common/useDebounced';
import { PlanChecks } from '../failover/PlanChecks';
import { FailedChecks, OperationDialog, TypedConfirmation } from '../operations/OperationDialog';
import { LoadBars } from './LoadBars';

type By = NonNullable<RebalanceRequest['by']>;

/** What the dialog does: balance the masters, or empty one of them (the step before removing it). */
export type RebalanceStart =
  | {
      kind: 'rebalance' /** Opened after adding a master: "use empty masters" starts checked. */;
      useEmptyMasters?: boolean;
    }
  | { kind: 'drain'; nodeId: string };

const input = 'rounded border border-border bg-bg px-2 py-1 text-sm';
const PREVIEW_DEBOUNCE_MS = 400;

const BY_HELP: Record<By, string> = {
  slots: 'the same number of slots per unit of weight, as redis-cli --cluster rebalance plans it',
  keys: 'the same number of keys per unit of weight (COUNTKEYSINSLOT of every slot): for clusters whose keys cluster in a few slots',
  memory: 'the same memory per unit of weight (keys per slot × sampled MEMORY USAGE per master)',
};

/**
 * Rebalance (weights per master, balance by slots, keys or memory, threshold, use empty masters) or drain a master,
 * in a modal dialog: the inputs, the plan the server computes (it changes nothing) with before/after bars per master
 * and the moves, the typed confirmation, then Start. The progress shows on the cluster page for every viewer.
 */
export function RebalanceDialog({
  clusterId,
  clusterName,
  nodes,
  start,
  onClose,
  onStarted,
}: {
  clusterId: string;
  clusterName: string;
  nodes: SnapshotNode[];
  start: RebalanceStart;
  onClose: () => void;
  onStarted: (jobId: string) => void;
}) {
  const queryClient = useQueryClient();
  const dialog = useRef<HTMLDialogElement>(null);
  const masters = nodes
    .filter((n) => n.role === 'master' && !n.flags.includes('fail'))
    .sort((a, b) => a.addr.localeCompare(b.addr));
  const addr = (id: string) => nodes.find((n) => n.id === id)?.addr ?? id.slice(0, 8);
  const drain = start.kind === 'drain' ? start.nodeId : undefined;
  const [by, setBy] = useState<By>('slots');
  const [threshold, setThreshold] = useState('2');
  const [useEmpty, setUseEmpty] = useState(start.kind === 'rebalance' && start.useEmptyMasters === true);
  const [weights, setWeights] = useState<Record<string, string>>({});
  const [throttle, setThrottle] = useState('');
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);

  const weightsOf = (): Record<string, number> | undefined => {
    const out: Record<string, number> = {};
    for (const [id, text] of Object.entries(weights)) {
      if (text.trim() === '') continue;
      const w = Number(text);
      if (!Number.isFinite(w) || w < 0) return undefined;
      out[id] = w;
    }
    if (drain) delete out[drain];
    return out;
  };
  const parsedWeights = weightsOf();
  const parsedThreshold = Number(threshold);
  const parsedThrottle = throttle.trim() === '' ? undefined : Number(throttle);
  const valid =
    parsedWeights !== undefined &&
    Number.isFinite(parsedThreshold) &&
    parsedThreshold >= 0 &&
    (parsedThrottle === undefined || (Number.isInteger(parsedThrottle) && parsedThrottle >= 1));
  const request: RebalanceRequest | undefined = valid
    ? {
        by: drain ? 'slots' : by,
        threshold: drain ? 0 : parsedThreshold,
        useEmptyMasters: drain ? false : useEmpty,
        ...(Object.keys(parsedWeights ?? {}).length ? { weights: parsedWeights } : {}),
      }
    : undefined;
  const options = parsedThrottle ? { throttleKeysPerSec: parsedThrottle } : undefined;
  const asked = useDebounced(request, PREVIEW_DEBOUNCE_MS);
  const plan = useQuery({
    ...(drain ? drainPlanQuery(clusterId, drain, asked?.weights ?? {}) : rebalancePlanQuery(clusterId, asked ?? {})),
    enabled: asked !== undefined,
  });
  const preview = plan.data;
  const stale = JSON.stringify(asked) !== JSON.stringify(request);
  const ready = preview !== undefined && !stale && !plan.isFetching;
  const expected = drain ?? clusterName;
  const blocked = preview && !preview.allowed ? preview.checks.filter((c) => c.status === 'fail') : [];

  async function begin() {
    if (!request || !ready) return;
    setError(undefined);
    setStarting(true);
    try {
      const started = drain
        ? await startDrain(clusterId, drain, parsedWeights ?? {}, options, confirm)
        : await startRebalance(clusterId, { ...request, ...(options ? { options } : {}) }, confirm);
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
      name="rebalance"
      dialog={dialog}
      title={drain ? `Drain ${addr(drain)}: move every slot to the other masters` : 'Rebalance the masters'}
      onClose={onClose}
      refused={blocked.length > 0 ? <FailedChecks failed={blocked} /> : undefined}
      footer={
        <>
          <TypedConfirmation
            name="rebalance"
            what={drain ? 'the master’s node id' : 'the cluster’s name'}
            expected={expected}
            value={confirm}
            onChange={setConfirm}
            error={error}
          />
          <div className="flex flex-wrap items-center gap-3">
            <button
              type="button"
              disabled={!ready || !preview?.allowed || preview.moves.length === 0 || confirm !== expected || starting}
              onClick={() => void begin()}
              className="rounded bg-warn px-4 py-2 font-semibold text-bg disabled:opacity-60"
              data-testid="rebalance-start"
            >
              {preview && ready && preview.moves.length > 0
                ? `Start: ${drain ? `drain ${addr(drain)}, ` : ''}move ${formatCount(preview.slots)} slots`
                : 'Start'}
            </button>
            <span className="text-xs text-muted">
              {!ready ? (
                'Start waits for the preview of exactly these inputs.'
              ) : (
                <>
                  Progress shows on the cluster page for everyone watching; cancel there finishes the{' '}
                  <Term word="openSlot">slots in flight</Term>.
                </>
              )}
            </span>
          </div>
        </>
      }
    >
      <div className="grid gap-4 md:grid-cols-3">
        {!drain && (
          <fieldset className="space-y-1">
            <legend className="text-sm font-semibold">Balance by</legend>
            {(['slots', 'keys', 'memory'] as const).map((b) => (
              <label key={b} className="flex items-start gap-2 text-sm">
                <input
                  type="radio"
                  name="by"
                  checked={by === b}
                  onChange={() => setBy(b)}
                  data-testid={`rebalance-by-${b}`}
                />
                <span>
                  <strong>{b}</strong> <span className="text-muted">— {BY_HELP[b]}</span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {!drain && (
          <div className="space-y-2">
            <label className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-semibold">Threshold</span>
              <input
                value={threshold}
                onChange={(e) => setThreshold(e.target.value)}
                inputMode="decimal"
                className={`${input} w-20`}
                data-testid="rebalance-threshold"
              />
              %
            </label>
            <p className="text-xs text-muted">
              Nothing moves while every master is within this much of its share (redis-cli’s default: 2 %).
            </p>
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={useEmpty}
                onChange={(e) => setUseEmpty(e.target.checked)}
                data-testid="rebalance-use-empty"
              />
              <span>
                Use empty masters <span className="text-muted">(a master just added, with no slots yet)</span>
              </span>
            </label>
          </div>
        )}
        <fieldset className={drain ? 'md:col-span-3' : ''}>
          <legend className="text-sm font-semibold">Weight per master</legend>
          <p className="text-xs text-muted">
            1 unless set; 2 takes twice the share of 1; 0 empties a master
            {drain ? ' (the drained master is 0)' : ''}.
          </p>
          <table className="tabular mt-1 text-sm">
            <tbody>
              {masters.map((m) => (
                <tr key={m.id} data-testid="rebalance-weight-row" data-node-id={m.id}>
                  <td className="pr-3">{m.addr}</td>
                  <td className="pr-3 text-muted">{formatCount(m.slotCount)} slots</td>
                  <td>
                    <input
                      value={m.id === drain ? '0' : (weights[m.id] ?? '')}
                      placeholder="1"
                      disabled={m.id === drain}
                      onChange={(e) => setWeights((w) => ({ ...w, [m.id]: e.target.value }))}
                      inputMode="decimal"
                      aria-label={`weight of ${m.addr}`}
                      className={`${input} w-16`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </fieldset>
      </div>
      <label className="flex flex-wrap items-center gap-2 text-sm">
        <span className="font-semibold">Throttle</span>
        <input
          value={throttle}
          onChange={(e) => setThrottle(e.target.value)}
          inputMode="numeric"
          placeholder="none"
          className={`${input} w-28`}
          data-testid="rebalance-throttle"
        />
        <span className="text-muted">keys/s at most (empty: as fast as the engine goes)</span>
      </label>
      {!valid && (
        <p className="text-sm text-crit" role="alert">
          Weights and the threshold are numbers of 0 or more; the throttle a whole number of keys/s.
        </p>
      )}
      {plan.error && (
        <p className="text-sm text-crit" role="alert" data-testid="rebalance-plan-error">
          No preview: {plan.error.message}
        </p>
      )}
      {valid && (plan.isFetching || (stale && !preview)) && (
        <p className="text-sm text-muted" role="status">
          Counting the keys of every slot on the masters…
        </p>
      )}
      {preview && (
        <div className={`space-y-3 ${stale || plan.isFetching ? 'opacity-60' : ''}`} data-testid="rebalance-preview">
          <p className="text-base" data-testid="rebalance-summary">
            {preview.moves.length === 0 ? (
              <strong>{preview.reason ?? 'Nothing to move.'}</strong>
            ) : (
              <>
                <strong>
                  {formatCount(preview.slots)} slots, {formatCount(preview.keys)} keys
                </strong>{' '}
                in {preview.moves.length} move{preview.moves.length === 1 ? '' : 's'}
                {preview.etaMs !== undefined ? `, about ${formatDuration(preview.etaMs)}` : ''}.{' '}
                {sideBySide(preview.moves)
                  ? 'Moves that share no node run side by side.'
                  : preview.moves.length > 1
                    ? 'They share a node, so they run one after the other.'
                    : ''}
              </>
            )}
          </p>
          <LoadBars preview={preview} addr={addr} by={drain ? 'slots' : by} />
          {preview.moves.length > 0 && (
            <table className="tabular w-full text-left text-sm" data-testid="rebalance-moves">
              <thead className="text-muted">
                <tr>
                  <th className="pr-3 font-normal">from</th>
                  <th className="pr-3 font-normal">to</th>
                  <th className="pr-3 font-normal">slots</th>
                  <th className="font-normal">keys</th>
                </tr>
              </thead>
              <tbody>
                {preview.moves.map((m) => (
                  <tr
                    key={`${m.from}>${m.to}`}
                    className="border-t border-border"
                    data-testid="rebalance-move"
                    data-from={m.from}
                    data-to={m.to}
                  >
                    <td className="pr-3">{addr(m.from)}</td>
                    <td className="pr-3">{addr(m.to)}</td>
                    <td className="pr-3">
                      {formatCount(m.slotCount)}{' '}
                      <span className="text-muted" title={formatRanges(m.slots)}>
                        ({formatRanges(m.slots).slice(0, 60)}
                        {formatRanges(m.slots).length > 60 ? '…' : ''})
                      </span>
                    </td>
                    <td>{formatCount(m.keys)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <PlanChecks checks={preview.checks} testId="rebalance" />
        </div>
      )}
    </OperationDialog>
  );
}

/** Whether two of the moves have no node in common (the engine runs such moves at the same time). */
function sideBySide(moves: ReadonlyArray<{ from: string; to: string }>): boolean {
  return moves.some((m, i) => moves.some((o, j) => j > i && ![o.from, o.to].some((n) => n === m.from || n === m.to)));
}
