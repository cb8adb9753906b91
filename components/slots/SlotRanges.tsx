import type { SnapshotNode } from '@/lib/cluster/types';
import { formatCount } from '@/lib/format';
import { formatRanges, uncoveredRanges } from '@/lib/redis/slots';

/** The text equivalent of the map: each master's ranges in redis-cli's notation, selectable for copying. */
export function SlotRanges({ nodes }: { nodes: SnapshotNode[] }) {
  const masters = nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
  const gaps = uncoveredRanges(masters.flatMap((m) => m.slots));
  return (
    <table className="tabular w-full text-left text-sm" data-testid="slot-ranges">
      <thead className="text-xs uppercase tracking-wider text-muted">
        <tr>
          <th className="py-1 pr-3">master</th>
          <th className="py-1 pr-3 text-right">slots</th>
          <th className="py-1">ranges</th>
        </tr>
      </thead>
      <tbody>
        {masters.map((m) => (
          <tr key={m.id} className="border-t border-border">
            <td className="py-1 pr-3">{m.addr}</td>
            <td className="py-1 pr-3 text-right">{formatCount(m.slotCount)}</td>
            <td className="select-all py-1 font-mono text-xs">{formatRanges(m.slots)}</td>
          </tr>
        ))}
        {gaps.length > 0 && (
          <tr className="border-t border-border text-crit">
            <td className="py-1 pr-3 font-semibold">uncovered</td>
            <td className="py-1 pr-3 text-right">{formatCount(gaps.reduce((s, [a, b]) => s + b - a + 1, 0))}</td>
            <td className="select-all py-1 font-mono text-xs">{formatRanges(gaps)}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
