'use client';

import { persistenceLine } from '@/lib/cluster/persistenceView';
import type { SnapshotNode } from '@/lib/cluster/types';
import { useWindow } from '../common/useWindow';

export const TONE_CLASS = { ok: 'text-ok', warn: 'text-warn', crit: 'text-crit', muted: 'text-muted' } as const;

const ROW_PX = 33;

/**
 * Every node's RDB/AOF state, one row each, failures in words (FAILED), not in colour alone. Past WINDOW_ABOVE nodes
 * the table scrolls in a box of its own and only the rows in view are in the page.
 */
export function PersistenceTable({
  nodes,
  collectedAt,
  now,
  highlighted,
}: {
  nodes: SnapshotNode[];
  collectedAt: string;
  now: number;
  highlighted: Set<string>;
}) {
  const { box, window } = useWindow<HTMLDivElement>(nodes.length, ROW_PX);
  return (
    <div
      ref={box}
      className={`overflow-x-auto rounded-lg border border-border bg-panel ${window.windowed ? 'max-h-[60vh] overflow-y-auto' : ''}`}
    >
      <table
        className="tabular w-full text-left text-sm"
        data-testid="persistence-table"
        data-windowed={String(window.windowed)}
      >
        <thead className={`text-xs text-muted ${window.windowed ? 'sticky top-0 bg-panel' : ''}`}>
          <tr>
            <th className="px-3 py-2 font-normal">node</th>
            <th className="px-3 py-2 font-normal">role</th>
            <th className="px-3 py-2 font-normal">RDB save points</th>
            <th className="px-3 py-2 font-normal">last RDB save</th>
            <th className="px-3 py-2 font-normal">last BGSAVE</th>
            <th className="px-3 py-2 text-right font-normal">changes since</th>
            <th className="px-3 py-2 font-normal">AOF</th>
            <th className="px-3 py-2 text-right font-normal">last fork</th>
          </tr>
        </thead>
        <tbody>
          {window.padTop > 0 && <tr style={{ height: window.padTop }} />}
          {nodes.slice(window.start, window.end).map((node) => {
            const line = persistenceLine(node, collectedAt, now);
            return (
              <tr
                key={node.id}
                className={`border-t border-border ${highlighted.has(node.id) ? 'bg-crit/10' : ''}`}
                data-testid="persistence-row"
                data-node={node.addr}
              >
                <td className="px-3 py-1.5 font-mono" title={node.id}>
                  {node.addr}
                </td>
                <td className="px-3 py-1.5">{node.role}</td>
                {line ? (
                  <>
                    <td className="px-3 py-1.5 font-mono text-xs">{line.savePoints}</td>
                    <td className="px-3 py-1.5">{line.lastSave}</td>
                    <td className={`px-3 py-1.5 font-semibold ${TONE_CLASS[line.rdbStatus.tone]}`}>
                      {line.rdbStatus.text}
                    </td>
                    <td className="px-3 py-1.5 text-right">{line.changesSince}</td>
                    <td className={`px-3 py-1.5 ${TONE_CLASS[line.aof.tone]}`}>{line.aof.text}</td>
                    <td className="px-3 py-1.5 text-right">{line.fork}</td>
                  </>
                ) : (
                  <td colSpan={6} className="px-3 py-1.5 text-muted">
                    not answering: no persistence state
                  </td>
                )}
              </tr>
            );
          })}
          {window.padBottom > 0 && <tr style={{ height: window.padBottom }} />}
        </tbody>
      </table>
    </div>
  );
}
