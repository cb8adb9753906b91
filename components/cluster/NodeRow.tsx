import Link from 'next/link';
import { memo, type ReactNode } from 'react';
import { startInteraction } from '@/lib/client/interactionTiming';
import { configUnavailable } from '@/lib/cluster/configCommand';
import { type UnreachableKind, unreachableAdvice, unreachableKind } from '@/lib/cluster/reachability';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatBytes, formatCount, formatMs, shortId } from '@/lib/format';
import { configUnavailableText } from '@/lib/nodeConfig/diff';
import { formatRanges } from '@/lib/redis/slots';
import { NodeFlags } from './NodeFlags';

function Memory({ node }: { node: SnapshotNode }) {
  if (!node.info) return <span className="text-muted">–</span>;
  const { used_memory: used, maxmemory: max } = node.info;
  return (
    <span title={max ? `${((used / max) * 100).toFixed(1)} % of maxmemory` : 'no maxmemory set'}>
      {formatBytes(used)}
      <span className="text-muted"> / {max ? formatBytes(max) : 'no limit'}</span>
    </span>
  );
}

const KIND_WORD: Record<UnreachableKind, string> = {
  outside: 'not polled',
  hung: 'no, hangs',
  refused: 'no, refused',
  auth: 'no, auth failed',
  path: 'no route from here',
  protocol: 'no, not Redis',
  other: 'no',
};

const suspected = (n: SnapshotNode) => n.flags.includes('fail') || n.flags.includes('fail?');

function Reachable({ node }: { node: SnapshotNode }) {
  const kind = unreachableKind(node.error);
  if (node.reachable) {
    const config = configUnavailable(node);
    return (
      <span className="text-ok">
        <span aria-hidden="true">✓</span> yes
        {node.rttMs !== undefined ? <span className="text-muted"> {formatMs(node.rttMs)}</span> : null}
        {config && (
          <span
            className="block text-xs text-warn"
            title={configUnavailableText(config)}
            data-testid="node-config-unavailable"
          >
            CONFIG {config}
          </span>
        )}
      </span>
    );
  }
  return (
    <span
      className="text-crit"
      title={`${node.error ?? 'no reply'}\n\n${unreachableAdvice(kind, !suspected(node), node.role)}`}
    >
      <span aria-hidden="true">✕</span> {KIND_WORD[kind]}{' '}
      <span className="block max-w-56 truncate text-xs text-muted">{node.error}</span>
    </span>
  );
}

/** Who reports a node FAIL/PFAIL, its own cluster_state when fail, and a node only some views list. */
function SeenBy({ node }: { node: SnapshotNode }) {
  const notes = [
    ...(node.failSeenBy?.length
      ? [`flagged FAIL by ${node.failSeenBy.length} node${node.failSeenBy.length === 1 ? '' : 's'}`]
      : []),
    ...(node.pfailSeenBy?.length
      ? [`flagged PFAIL by ${node.pfailSeenBy.length} node${node.pfailSeenBy.length === 1 ? '' : 's'}`]
      : []),
    ...(node.clusterState === 'fail' ? ['says cluster_state:fail'] : []),
    ...(node.notInReference ? ['not in most nodes’ view'] : []),
  ];
  if (notes.length === 0) return null;
  return (
    <span className="block text-xs text-warn" data-testid="node-seen-by">
      {notes.join(' · ')}
    </span>
  );
}

/**
 * The actions column stays pinned to the right edge when the table scrolls sideways (a narrow window), with an edge
 * and a shade while columns hide under it; opaque, as the rows scroll beneath it.
 */
export const PINNED =
  'sticky right-0 group-data-[more-right=true]:shadow-[inset_1px_0_0_rgb(139_152_169/0.6),-10px_0_10px_-6px_rgb(0_0_0/0.9)]';
/** The row backgrounds, mixed onto the page colour so the pinned cell hides what scrolls under it. */
const PINNED_BG = {
  master: 'bg-[color-mix(in_srgb,var(--color-panel)_40%,var(--color-bg))]',
  replica: 'bg-bg',
};

/** Row height in px the node table's window counts with (a row with a second line is taller; the next rows shift). */
export const NODE_ROW_PX = 37;

export interface NodeRowProps {
  node: SnapshotNode;
  /** Its master's address (replicas), as the table found it. */
  masterAddr?: string;
  /** Its shard's colour; none for a master without slots. */
  colour?: string;
  href?: string;
  highlighted: boolean;
  actions?: (node: SnapshotNode) => ReactNode;
}

/**
 * One node of the node table. Memoised: a pushed snapshot keeps the objects of nodes that did not change (see
 * lib/cluster/snapshotDelta.ts), so only the rows whose node changed are drawn again.
 */
export const NodeRow = memo(function NodeRow({ node, masterAddr, colour, href, highlighted, actions }: NodeRowProps) {
  const failed = node.flags.includes('fail');
  return (
    <tr
      className={`border-t border-border ${node.role === 'replica' ? 'bg-bg' : 'bg-panel/40'} ${highlighted ? 'outline outline-1 -outline-offset-1 outline-warn' : ''}`}
      data-testid="node-row"
      data-node-id={node.id}
      data-role={node.role}
      data-reachable={String(node.reachable)}
      data-failed={String(failed)}
      data-highlighted={String(highlighted)}
    >
      <td className="px-2 py-2">
        <span className="flex items-center gap-2">
          <span
            className="inline-block h-3 w-3 shrink-0 rounded-sm"
            style={{
              background: colour ?? 'transparent',
              outline: colour ? undefined : '1px dashed var(--muted)',
            }}
            aria-hidden="true"
          />
          <span className={node.role === 'replica' ? 'pl-3' : 'font-medium'}>
            {href ? (
              <Link
                href={href}
                onClick={() => startInteraction('node-open')}
                className="underline decoration-border underline-offset-4 hover:decoration-muted"
              >
                {node.addr || '(no address)'}
              </Link>
            ) : (
              node.addr || '(no address)'
            )}
          </span>
          <span className="text-xs text-muted" title={node.id}>
            {shortId(node.id)}
          </span>
        </span>
      </td>
      <td className="px-2 py-2">
        {node.role}
        {node.roleInReference ? (
          <span
            className="block text-xs text-warn"
            title="The node reports this role for itself; the view most nodes share still says otherwise (gossip not settled, or a split)."
          >
            others see {node.roleInReference}
          </span>
        ) : null}
      </td>
      <td className="px-2 py-2 text-muted" title={node.masterId ?? undefined}>
        {node.masterId ? (masterAddr ?? shortId(node.masterId)) : '–'}
      </td>
      <td className="px-2 py-2">
        <NodeFlags flags={node.flags} />
        <SeenBy node={node} />
      </td>
      <td className="px-2 py-2 text-right" title={formatRanges(node.slots)}>
        {node.role === 'master' ? formatCount(node.slotCount) : '–'}
        {node.migrating.length + node.importing.length > 0 ? (
          <span className="ml-1 text-warn" title="open slots (migrating/importing)">
            ⇄{node.migrating.length + node.importing.length}
          </span>
        ) : null}
      </td>
      <td className="px-2 py-2 text-right">
        <Memory node={node} />
      </td>
      <td className="px-2 py-2 text-right">{node.info ? formatCount(node.info.instantaneous_ops_per_sec) : '–'}</td>
      <td className="px-2 py-2 text-right">{node.info ? formatCount(node.info.connected_clients) : '–'}</td>
      <td className={`px-2 py-2 ${node.linkState === 'connected' && !suspected(node) ? '' : 'text-warn'}`}>
        {node.linkState === 'connected' ? (suspected(node) ? 'open, no replies' : 'up') : 'down'}
      </td>
      <td className="px-2 py-2">
        <Reachable node={node} />
      </td>
      {actions && (
        <td className={`${PINNED} ${PINNED_BG[node.role === 'replica' ? 'replica' : 'master']} px-2 py-2`}>
          {highlighted && (
            <span aria-hidden="true" className="pointer-events-none absolute inset-0 border-y border-r border-warn" />
          )}
          {actions(node)}
        </td>
      )}
    </tr>
  );
});
