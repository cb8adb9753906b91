'use client';

import { type ReactNode, useMemo, useState } from 'react';
import { startInteraction, useInteractionPainted } from '@/lib/client/interactionTiming';
import { shardColors } from '@/lib/cluster/shardColors';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatCount } from '@/lib/format';
import { SideScroll } from '../common/SideScroll';
import { Term } from '../common/Term';
import { useWindow } from '../common/useWindow';
import { NODE_ROW_PX, NodeRow, PINNED } from './NodeRow';

/** What the filter box matches: address, host name, id, role and flags ("fail", "pfail" for fail?). */
function matches(node: SnapshotNode, words: string[]): boolean {
  const text = [node.addr, node.hostname ?? '', node.id, node.role, ...node.flags, node.reachable ? '' : 'unreachable']
    .join(' ')
    .replace('fail?', 'pfail')
    .toLowerCase();
  return words.every((w) => text.includes(w));
}

/**
 * Every node, one row each, with a filter. Past WINDOW_ABOVE rows the table scrolls in a box of its own and only the
 * rows in view are in the page (useWindow); the header stays in view.
 */
export function NodeTable({
  nodes,
  nodeHref,
  highlighted,
  rowActions,
}: {
  nodes: SnapshotNode[];
  nodeHref?: (nodeId: string) => string;
  /** Per-row actions (remove, move replica) for the roles that may start them; absent = no actions column. */
  rowActions?: (node: SnapshotNode) => ReactNode;
  /** Nodes named by a warning or critical finding. */
  highlighted?: Set<string>;
}) {
  const [filter, setFilter] = useState('');
  const colours = useMemo(() => shardColors(nodes), [nodes]);
  const addrOf = useMemo(() => new Map(nodes.map((n) => [n.id, n.addr])), [nodes]);
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return words.length ? nodes.filter((n) => matches(n, words)) : nodes;
  }, [nodes, filter]);
  useInteractionPainted('node-filter', filter);
  const { box, window } = useWindow<HTMLDivElement>(shown.length, NODE_ROW_PX);
  const visible = shown.slice(window.start, window.end);
  const columns = rowActions ? 11 : 10;
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <input
          type="search"
          value={filter}
          onChange={(e) => {
            startInteraction('node-filter');
            setFilter(e.target.value);
          }}
          placeholder="Filter: address, id, role, flag (fail, pfail, unreachable)"
          aria-label="Filter nodes"
          className="w-96 max-w-full rounded border border-border bg-bg px-2 py-1"
          data-testid="node-filter"
        />
        <span className="text-xs text-muted" data-testid="node-filter-count" data-shown={shown.length}>
          {shown.length === nodes.length
            ? `${formatCount(nodes.length)} nodes`
            : `${formatCount(shown.length)} of ${formatCount(nodes.length)} nodes`}
          {window.windowed ? ' · scroll the table for more' : ''}
        </span>
      </div>
      <SideScroll pinnedRight={rowActions !== undefined} testId="node-table-box" boxRef={box} tall={window.windowed}>
        <table
          className="tabular w-full text-left text-sm"
          data-testid="node-table"
          data-rows={shown.length}
          data-windowed={String(window.windowed)}
        >
          <thead
            className={`bg-panel text-xs uppercase tracking-wider text-muted ${window.windowed ? 'sticky top-0 z-10' : ''}`}
          >
            <tr>
              <th className="px-2 py-2">node</th>
              <th className="px-2 py-2">role</th>
              <th className="px-2 py-2">master</th>
              <th className="px-2 py-2" title="The node's state in the cluster's own view (CLUSTER NODES flags)">
                cluster says
              </th>
              <th className="px-2 py-2 text-right">slots</th>
              <th className="px-2 py-2 text-right">memory</th>
              <th className="px-2 py-2 text-right">ops/s</th>
              <th className="px-2 py-2 text-right">clients</th>
              <th className="px-2 py-2">
                <Term word="link">bus link</Term>
              </th>
              <th className="px-2 py-2">
                <Term word="unreachable">answers here</Term>
              </th>
              {rowActions && <th className={`${PINNED} bg-panel px-2 py-2`}>actions</th>}
            </tr>
          </thead>
          <tbody>
            {window.padTop > 0 && (
              <tr style={{ height: window.padTop }}>
                <td colSpan={columns} />
              </tr>
            )}
            {visible.map((node) => (
              <NodeRow
                key={node.id}
                node={node}
                masterAddr={node.masterId ? addrOf.get(node.masterId) : undefined}
                colour={colours.get(node.id)}
                href={nodeHref?.(node.id)}
                highlighted={highlighted?.has(node.id) ?? false}
                actions={rowActions}
              />
            ))}
            {window.padBottom > 0 && (
              <tr style={{ height: window.padBottom }}>
                <td colSpan={columns} />
              </tr>
            )}
          </tbody>
        </table>
      </SideScroll>
    </div>
  );
}
