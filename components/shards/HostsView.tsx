'use client';

import { memo, useMemo } from 'react';
import { shardColors } from '@/lib/cluster/shardColors';
import type { SnapshotNode } from '@/lib/cluster/types';
import { hostOf } from '@/lib/findings/describe';
import { useWindow } from '../common/useWindow';

/** Past this many shards a column per shard is unreadable: each host lists its nodes instead. */
const MATRIX_MAX_SHARDS = 32;
const HOST_ROW_PX = 29;

const shardOf = (n: SnapshotNode) => (n.role === 'master' ? n.id : n.masterId);

function Copy({ node, colour, shared }: { node: SnapshotNode; colour?: string; shared?: boolean }) {
  return (
    <span
      className={`mr-2 whitespace-nowrap ${node.flags.includes('fail') ? 'text-crit line-through' : ''} ${shared ? 'font-semibold text-warn' : ''}`}
      title={`${node.addr}${shared ? ': another copy of its shard is on this host' : ''}`}
    >
      {colour && (
        <span
          className="mr-1 inline-block h-2 w-2 rounded-sm align-middle"
          style={{ background: colour }}
          aria-hidden="true"
        />
      )}
      {node.role === 'master' ? 'M' : 'R'}
    </span>
  );
}

/**
 * Rows are hosts, columns are shards: which copies (M master, R replica) of each shard each host holds. Past
 * MATRIX_MAX_SHARDS shards each host lists its copies in one cell instead (two copies of one shard on a host in amber);
 * past WINDOW_ABOVE hosts the rows scroll in a box and only those in view are in the page.
 */
export const HostsView = memo(function HostsView({ nodes }: { nodes: SnapshotNode[] }) {
  const colours = useMemo(() => shardColors(nodes), [nodes]);
  const masters = useMemo(() => nodes.filter((n) => n.role === 'master' && n.slotCount > 0), [nodes]);
  const byHost = useMemo(() => {
    const out = new Map<string, SnapshotNode[]>();
    for (const n of nodes) {
      const list = out.get(hostOf(n));
      if (list) list.push(n);
      else out.set(hostOf(n), [n]);
    }
    return [...out].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }));
  }, [nodes]);
  const shardIds = useMemo(() => new Set(masters.map((m) => m.id)), [masters]);
  const matrix = masters.length <= MATRIX_MAX_SHARDS;
  const { box, window } = useWindow<HTMLDivElement>(byHost.length, HOST_ROW_PX);
  return (
    <div ref={box} className={`overflow-x-auto ${window.windowed ? 'max-h-[60vh] overflow-y-auto' : ''}`}>
      <table className="tabular text-left text-sm" data-testid="hosts" data-windowed={String(window.windowed)}>
        <thead
          className={`bg-panel text-xs uppercase tracking-wider text-muted ${window.windowed ? 'sticky top-0' : ''}`}
        >
          <tr>
            <th className="py-1 pr-4">host</th>
            {matrix ? (
              masters.map((m) => (
                <th key={m.id} className="px-2 py-1" title={m.addr}>
                  <span
                    className="inline-block h-3 w-3 rounded-sm align-middle"
                    style={{ background: colours.get(m.id) }}
                    aria-hidden="true"
                  />{' '}
                  {m.addr}
                </th>
              ))
            ) : (
              <th className="px-2 py-1">copies ({masters.length} shards, coloured by shard)</th>
            )}
            <th className="px-2 py-1">other</th>
          </tr>
        </thead>
        <tbody>
          {window.padTop > 0 && <tr style={{ height: window.padTop }} />}
          {byHost.slice(window.start, window.end).map(([host, onHost]) => {
            const copies = onHost.filter((n) => shardIds.has(shardOf(n) ?? ''));
            const perShard = new Map<string, number>();
            for (const n of copies) perShard.set(shardOf(n) ?? '', (perShard.get(shardOf(n) ?? '') ?? 0) + 1);
            return (
              <tr key={host} className="border-t border-border" data-testid="host-row" data-host={host}>
                <td className="py-1 pr-4 font-medium">{host}</td>
                {matrix ? (
                  masters.map((m) => (
                    <td key={m.id} className="px-2 py-1">
                      {copies
                        .filter((n) => shardOf(n) === m.id)
                        .map((n) => (
                          <Copy key={n.id} node={n} />
                        ))}
                    </td>
                  ))
                ) : (
                  <td className="px-2 py-1">
                    {copies.map((n) => (
                      <Copy
                        key={n.id}
                        node={n}
                        colour={colours.get(shardOf(n) ?? '')}
                        shared={(perShard.get(shardOf(n) ?? '') ?? 0) > 1}
                      />
                    ))}
                  </td>
                )}
                <td className="px-2 py-1 text-muted">
                  {onHost
                    .filter((n) => !shardIds.has(shardOf(n) ?? ''))
                    .map((n) => n.addr)
                    .join(', ')}
                </td>
              </tr>
            );
          })}
          {window.padBottom > 0 && <tr style={{ height: window.padBottom }} />}
        </tbody>
      </table>
    </div>
  );
});
