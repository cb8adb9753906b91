'use client';

import { useState } from 'react';
import type { SnapshotNode } from '@/lib/cluster/types';
import { MoveReplicaDialog } from './MoveReplicaDialog';
import { RemoveNodeDialog } from './RemoveNodeDialog';

export type LifecycleTarget = { kind: 'remove' | 'move-replica'; nodeId: string };

/** The remove / move-replica dialog for the node asked, while it is in the snapshot (a removed node leaves it). */
export function LifecycleDialogs({
  clusterId,
  nodes,
  target,
  onClose,
  onDrain,
}: {
  clusterId: string;
  nodes: SnapshotNode[];
  target: LifecycleTarget;
  onClose: () => void;
  onDrain?: (nodeId: string) => void;
}) {
  // The node as first opened: the dialog (and its running job) stays when the node leaves the snapshot.
  const node = nodes.find((n) => n.id === target.nodeId);
  const [kept] = useState(node);
  if (!kept) return null;
  return target.kind === 'remove' ? (
    <RemoveNodeDialog clusterId={clusterId} node={kept} onClose={onClose} onDrain={onDrain} />
  ) : (
    <MoveReplicaDialog clusterId={clusterId} replica={kept} nodes={nodes} onClose={onClose} />
  );
}
