import { memo, type ReactNode } from 'react';
import { OVERLAY_LEVEL, type OverlayReason, type SlotOverlay } from '@/lib/cluster/slotOverlay';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatCount } from '@/lib/format';
import { formatRanges, uncoveredRanges } from '@/lib/redis/slots';
import { Term } from '../common/Term';

/** The overlay in words, beside the master's address (the map's stripes are never the only sign). */
const STATE_WORDS: Record<OverlayReason, ReactNode> = {
  fail: <Term word="FAIL">FAIL</Term>,
  pfail: <Term word="PFAIL">PFAIL</Term>,
  unreachable: <Term word="unreachable" />,
  noReplica: 'no replica able to take over',
};

/**
 * The text equivalent of the map: each master's ranges in redis-cli's notation, selectable for copying. Memoised: a
 * slot selected on the map does not draw the ranges of 500 masters again.
 */
export const SlotRanges = memo(function SlotRanges({
  nodes,
  overlay,
}: {
  nodes: SnapshotNode[];
  overlay?: SlotOverlay;
}) {
  const masters = nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
  const reasons = new Map(overlay?.masters.map((m) => [m.node.id, m.reason]));
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
        {masters.map((m) => {
          const reason = reasons.get(m.id);
          return (
            <tr key={m.id} className="border-t border-border">
              <td className="py-1 pr-3">
                {m.addr}
                {reason && (
                  <span
                    className={`ml-2 text-xs font-semibold ${OVERLAY_LEVEL[reason] === 'critical' ? 'text-crit' : 'text-warn'}`}
                    data-testid="slot-ranges-state"
                    data-reason={reason}
                  >
                    <span aria-hidden="true">{reason === 'fail' ? '✕ ' : '! '}</span>
                    {STATE_WORDS[reason]}
                  </span>
                )}
              </td>
              <td className="py-1 pr-3 text-right">{formatCount(m.slotCount)}</td>
              <td className="select-all py-1 font-mono text-xs">{formatRanges(m.slots)}</td>
            </tr>
          );
        })}
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
});
