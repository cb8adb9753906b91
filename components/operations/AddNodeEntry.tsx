'use client';

import { useState } from 'react';
import type { SnapshotNode } from '@/lib/cluster/types';
import { AddNodeDialog } from './AddNodeDialog';

/** "Add node…" on the cluster page (operators): opens the add-node dialog; disabled while another job holds the cluster. */
export function AddNodeEntry({
  clusterId,
  nodes,
  blocked,
  onRebalance,
}: {
  clusterId: string;
  nodes: SnapshotNode[];
  blocked?: string;
  onRebalance: () => void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="rounded border border-border px-3 py-1 text-sm hover:border-warn disabled:opacity-60"
        onClick={() => setOpen(true)}
        disabled={blocked !== undefined}
        title={
          blocked ??
          'Add an empty cluster-enabled node as a master or a replica: checked first, nothing sent until you confirm'
        }
        data-testid="add-node-open"
      >
        Add node…
      </button>
      {open && (
        <AddNodeDialog clusterId={clusterId} nodes={nodes} onClose={() => setOpen(false)} onRebalance={onRebalance} />
      )}
    </>
  );
}
