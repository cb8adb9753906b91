'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useId, useRef, useState } from 'react';
import { queryKeys } from '@/lib/client/queries';
import { reshardPlanQuery, startReshard } from '@/lib/client/reshard';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatCount } from '@/lib/format';
import type { ReshardRequest } from '@/lib/jobs/types';
import { formatRanges, type SlotRange } from '@/lib/redis/slots';
import { type ReshardForm, reshardRequest } from '@/lib/reshard/form';
import { Term } from '../common/Term';
import { useDebounced } from '../common/useDebounced';
import { FailedChecks, OperationDialog, TypedConfirmation } from '../operations/OperationDialog';
import { ReshardPlanPreview } from './ReshardPlanPreview';

/** What the dialog opens on: ranges selected on the map, or a master whose slots to move (its shard card). */
export interface ReshardStart {
  ranges?: SlotRange[];
  sourceId?: string;
  targetId?: string;
}

/** The preview is asked this long after the last change of the inputs. */
const PREVIEW_DEBOUNCE_MS = 400;

function Field({ label, children, help }: { label: ReactNode; children: ReactNode; help: ReactNode }) {
  return (
    <div className="space-y-1">
      <div className="text-sm font-semibold">{label}</div>
      {children}
      <p className="text-xs text-muted">{help}</p>
    </div>
  );
}

const input = 'rounded border border-border bg-bg px-2 py-1 text-sm';

/**
 * Move slots to a master, in a modal dialog: the target, what to move (the selected ranges, or N slots from all or
 * chosen masters as redis-cli plans it), the options with what they do, then the preview the server computes (it
 * changes nothing), the typed cluster name and Start. The progress then shows on the cluster page, for every viewer.
 */
export function ReshardDialog({
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
  start: ReshardStart;
  onClose: () => void;
  onStarted: (jobId: string) => void;
}) {
  const queryClient = useQueryClient();
  const fieldId = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const masters = nodes.filter((n) => n.role === 'master').sort((a, b) => a.addr.localeCompare(b.addr));
  const addr = (id: string) => nodes.find((n) => n.id === id)?.addr ?? id.slice(0, 8);
  const [form, setForm] = useState<ReshardForm>(() => ({
    target: start.targetId ?? '',
    what: start.ranges?.length ? 'ranges' : 'count',
    ranges: formatRanges(start.ranges ?? []),
    count: '',
    from: start.sourceId ? 'chosen' : 'all',
    sources: start.sourceId ? [start.sourceId] : [],
    replace: false,
    throttleKeysPerSec: '',
    maxSourceLatencyMs: '',
  }));
  const [confirm, setConfirm] = useState('');
  const [error, setError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const built = reshardRequest(form, masters);
  const current: ReshardRequest | undefined = built.ok ? built.request : undefined;
  const asked = useDebounced(current, PREVIEW_DEBOUNCE_MS);
  const plan = useQuery({
    ...reshardPlanQuery(clusterId, asked ?? { target: '', slots: [] }),
    enabled: asked !== undefined,
  });
  const preview = plan.data;
  const stale = JSON.stringify(asked) !== JSON.stringify(current);
  const ready = preview !== undefined && !stale && !plan.isFetching;
  const set = <K extends keyof ReshardForm>(key: K, value: ReshardForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  async function begin() {
    if (!current || !ready) return;
    setError(undefined);
    setStarting(true);
    try {
      const started = await startReshard(clusterId, current, confirm);
      void queryClient.invalidateQueries({ queryKey: queryKeys.jobs(clusterId) });
      if (started?.jobId) onStarted(started.jobId);
      dialog.current?.close();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setStarting(false);
    }
  }

  const target = masters.find((m) => m.id === form.target);
  const sourceChoices = masters.filter((m) => m.slotCount > 0 && m.id !== form.target);
  const blocked = preview && !preview.allowed ? preview.checks.filter((c) => c.status === 'fail') : [];
  return (
    <OperationDialog
      name="reshard"
      dialog={dialog}
      title={
        <>
          <Term word="reshard">Reshard</Term>: move slots to {target ? target.addr : 'a master'}
        </>
      }
      onClose={onClose}
      refused={blocked.length > 0 ? <FailedChecks failed={blocked} /> : undefined}
      footer={
        <>
          <TypedConfirmation
            name="reshard"
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
              data-testid="reshard-start"
            >
              {preview && ready
                ? `Start: move ${formatCount(preview.slots)} slots to ${addr(preview.targetId)}`
                : 'Start'}
            </button>
            <span className="text-xs text-muted">
              {!ready
                ? 'Start waits for the preview of exactly these inputs.'
                : 'Progress shows on the cluster page for everyone watching; cancel there finishes the slots in flight.'}
            </span>
          </div>
        </>
      }
    >
      <div className="grid gap-4 md:grid-cols-3">
        <Field
          label={<label htmlFor={`${fieldId}-target`}>Move to (target master)</label>}
          help="The master that receives the slots and their keys. A master with no slots yet (just added) is the usual target."
        >
          <select
            id={`${fieldId}-target`}
            value={form.target}
            onChange={(e) => set('target', e.target.value)}
            className={`${input} w-full`}
            data-testid="reshard-target"
          >
            <option value="">Choose a master…</option>
            {masters.map((m) => (
              <option key={m.id} value={m.id}>
                {m.addr} · {m.id.slice(0, 8)} · {m.slotCount ? `${formatCount(m.slotCount)} slots` : 'no slots'}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="space-y-1">
          <legend className="text-sm font-semibold">What to move</legend>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="what"
              checked={form.what === 'ranges'}
              onChange={() => set('what', 'ranges')}
              data-testid="reshard-what-ranges"
            />
            these slots
          </label>
          <input
            value={form.ranges}
            onChange={(e) => setForm((f) => ({ ...f, what: 'ranges', ranges: e.target.value }))}
            className={`${input} w-full font-mono`}
            aria-label="Slot ranges, as redis-cli writes them"
            placeholder="e.g. 0-1819,2000"
            spellCheck={false}
            data-testid="reshard-ranges"
          />
          <label className="flex flex-wrap items-center gap-2 text-sm">
            <input
              type="radio"
              name="what"
              checked={form.what === 'count'}
              onChange={() => set('what', 'count')}
              data-testid="reshard-what-count"
            />
            <input
              value={form.count}
              onChange={(e) => setForm((f) => ({ ...f, what: 'count', count: e.target.value }))}
              inputMode="numeric"
              className={`${input} w-24 tabular`}
              aria-label="Number of slots"
              placeholder="N"
              data-testid="reshard-count"
            />
            slots from
            <select
              value={form.from}
              onChange={(e) =>
                setForm((f) => ({ ...f, what: 'count', from: e.target.value === 'chosen' ? 'chosen' : 'all' }))
              }
              className={input}
              aria-label="Take the slots from"
              data-testid="reshard-from"
            >
              <option value="all">all other masters</option>
              <option value="chosen">chosen masters</option>
            </select>
          </label>
          {form.what === 'count' && form.from === 'chosen' && (
            <div className="flex flex-wrap gap-x-3 pl-6 text-sm" data-testid="reshard-sources">
              {sourceChoices.map((m) => (
                <label key={m.id} className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={form.sources.includes(m.id)}
                    onChange={(e) =>
                      set(
                        'sources',
                        e.target.checked ? [...form.sources, m.id] : form.sources.filter((id) => id !== m.id),
                      )
                    }
                  />
                  {m.addr}
                </label>
              ))}
            </div>
          )}
          <p className="text-xs text-muted">
            N slots are taken as redis-cli does: from the masters with most slots, each in proportion to its share,
            lowest-numbered slots first. Slots the target already owns are skipped.
          </p>
        </fieldset>
        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold">Options</legend>
          <label className="flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              checked={form.replace}
              onChange={(e) => set('replace', e.target.checked)}
              className="mt-1"
              data-testid="reshard-replace"
            />
            <span>
              Replace keys already on the target
              <span className={`block text-xs ${form.replace ? 'font-semibold text-warn' : 'text-muted'}`}>
                {form.replace
                  ? 'On: a key that exists on the target with another value is overwritten; the target’s value is lost.'
                  : 'Off (as redis-cli): such a key stops the move and is named, nothing lost. A key with the same value on both sides is replaced anyway.'}{' '}
                (<Term word="BUSYKEY">BUSYKEY</Term>)
              </span>
            </span>
          </label>
          <label className="block text-sm">
            Throttle{' '}
            <input
              value={form.throttleKeysPerSec}
              onChange={(e) => set('throttleKeysPerSec', e.target.value)}
              inputMode="numeric"
              className={`${input} w-28 tabular`}
              placeholder="no limit"
              data-testid="reshard-throttle"
            />{' '}
            keys/s
            <span className="block text-xs text-muted">
              At most this many keys a second, so clients see less extra latency. Blank: as fast as it goes.
            </span>
          </label>
          <label className="block text-sm">
            Pause while the source is slower than{' '}
            <input
              value={form.maxSourceLatencyMs}
              onChange={(e) => set('maxSourceLatencyMs', e.target.value)}
              inputMode="decimal"
              className={`${input} w-20 tabular`}
              placeholder="off"
              data-testid="reshard-latency"
            />{' '}
            ms
            <span className="block text-xs text-muted">
              The move waits while the source answers PING slower than this, and goes on by itself. Blank: off.
            </span>
          </label>
        </fieldset>
      </div>
      {!built.ok && (
        <p className="text-sm text-muted" data-testid="reshard-problem">
          {built.problem}
        </p>
      )}
      {built.ok && plan.error && !plan.isFetching && (
        <p className="text-sm text-crit" role="alert" data-testid="reshard-plan-error">
          No preview: {plan.error.message}
        </p>
      )}
      {built.ok && (plan.isFetching || (stale && !preview)) && (
        <p className="text-sm text-muted" role="status">
          Counting the keys and sampling their sizes in these slots…
        </p>
      )}
      {preview && built.ok && (
        <>
          <ReshardPlanPreview preview={preview} addr={addr} stale={stale || plan.isFetching} />
          <button
            type="button"
            className="rounded border border-border px-3 py-1 text-xs"
            onClick={() => void plan.refetch()}
            disabled={plan.isFetching}
          >
            Count again
          </button>
        </>
      )}
    </OperationDialog>
  );
}
