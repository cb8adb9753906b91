'use client';

import type { SnapshotNode } from '@/lib/cluster/types';

const button = 'whitespace-nowrap rounded border border-border px-2 py-0.5 text-xs hover:border-warn';

/** A node's lifecycle actions, each shown only to a role that may start it; each opens its plan first. */
export function NodeActions({
  node,
  onRemove,
  onMoveReplica,
}: {
  node: SnapshotNode;
  onRemove?: (nodeId: string) => void;
  onMoveReplica?: (nodeId: string) => void;
}) {
  return (
    <span className="flex flex-wrap gap-1">
      {onMoveReplica && node.role === 'replica' && (
        <button
          type="button"
          className={button}
          onClick={() => onMoveReplica(node.id)}
          data-testid="move-replica-open"
          title="Make this replica replicate another master (CLUSTER REPLICATE): the plan first"
        >
          Move replica…
        </button>
      )}
      {onRemove && (
        <button
          type="button"
          className={button}
          onClick={() => onRemove(node.id)}
          data-testid="remove-node-open"
          title="Take this node out of the cluster (replicas re-homed, FORGET on every node, reset): the plan first"
        >
          Remove node…
        </button>
      )}
    </span>
  );
}
