'use client';

import { useRef, useState } from 'react';
import type { BgsaveScope } from '@/lib/api/schemas';
import { apiPost } from '@/lib/client/mutate';
import type { SnapshotNode } from '@/lib/cluster/types';
import { hostOf } from '@/lib/findings/describe';
import { bgsaveTargets } from '@/lib/jobs/bgsaveTargets';
import { OperationDialog } from '../operations/OperationDialog';

/** What BGSAVE will do, on which nodes, then Start: a save changes no data, so no typed confirmation. */
export function BgsaveDialog({
  clusterId,
  nodes,
  onClose,
  onStarted,
}: {
  clusterId: string;
  nodes: SnapshotNode[];
  onClose: () => void;
  onStarted: (jobId: string) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [scope, setScope] = useState<BgsaveScope>('masters');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const targets = bgsaveTargets(nodes, scope);
  const hosts = new Set(targets.map(hostOf)).size;
  const start = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const reply = await apiPost<{ jobId: string }>(`/api/clusters/${encodeURIComponent(clusterId)}/bgsave`, {
        scope,
      });
      if (reply) onStarted(reply.jobId);
      dialog.current?.close();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <OperationDialog
      name="bgsave"
      dialog={dialog}
      title="BGSAVE — write an RDB snapshot on each node"
      onClose={onClose}
      footer={
        <div className="flex flex-wrap items-center gap-3">
          {error && (
            <p className="text-sm text-crit" role="alert" data-testid="bgsave-error">
              {error}
            </p>
          )}
          <button
            type="button"
            className="ml-auto rounded border border-warn px-4 py-1.5 text-sm font-semibold disabled:opacity-50"
            disabled={busy || targets.length === 0}
            onClick={start}
            data-testid="bgsave-start"
          >
            Start BGSAVE on {targets.length} {targets.length === 1 ? 'node' : 'nodes'}
          </button>
        </div>
      }
    >
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="sr-only">Which nodes</legend>
        {(['masters', 'all'] as const).map((value) => (
          <label key={value} className="flex items-center gap-2">
            <input
              type="radio"
              name="bgsave-scope"
              checked={scope === value}
              onChange={() => setScope(value)}
              data-testid={`bgsave-scope-${value}`}
            />
            {value === 'masters' ? 'Every master' : 'Every node (replicas too)'}
          </label>
        ))}
      </fieldset>
      <p className="text-sm">
        Each node forks and writes its dataset to its RDB file. The job waits until a save that started after you press
        Start has finished on every node (its last save time moves on and the save reports ok). A failed save fails that
        node&apos;s step and names it: the reason is in that node&apos;s log.
      </p>
      <p className="text-sm text-warn">
        Risk: the fork briefly blocks each node (see &quot;last fork&quot;) and copy-on-write can use extra memory on a
        busy node. Nodes on the same host save one after another; {hosts} {hosts === 1 ? 'host' : 'hosts'} in parallel.
      </p>
      <ul className="grid gap-1 text-sm sm:grid-cols-2 lg:grid-cols-3" data-testid="bgsave-targets">
        {targets.map((n) => (
          <li key={n.id} className="font-mono">
            {n.addr} <span className="font-sans text-muted">{n.role}</span>
            {!n.reachable && <span className="font-sans text-crit"> — not answering: its step will fail</span>}
          </li>
        ))}
      </ul>
    </OperationDialog>
  );
}
