import { memo, type ReactNode } from 'react';
import type { SlotMapModel } from '@/lib/cluster/slotMap';
import { OVERLAY_LEVEL, OVERLAY_REASONS, type OverlayLevel, type OverlayReason } from '@/lib/cluster/slotOverlay';
import { formatCount } from '@/lib/format';
import { slotCount } from '@/lib/redis/slots';
import { Term } from '../common/Term';
import { OVERLAY_COLOUR, type SlotMarks } from './SlotMap';

/** What each overlay means, in plain words with the protocol word's explanation on hover. */
const OVERLAY_TEXT: Record<OverlayReason, { icon: string; text: ReactNode }> = {
  fail: {
    icon: '✕',
    text: (
      <>
        master <Term word="FAIL" raw />
      </>
    ),
  },
  pfail: {
    icon: '!',
    text: (
      <>
        master <Term word="PFAIL" raw />
      </>
    ),
  },
  unreachable: {
    icon: '!',
    text: (
      <>
        master <Term word="unreachable" />
      </>
    ),
  },
  noReplica: { icon: '!', text: <>master with no replica able to take over</> },
};

const HATCH_WORDS: Record<OverlayLevel, string> = { warning: 'amber stripes', critical: 'red stripes' };

/** The legend's swatch: a dimmed cell with the map's stripes, drawn in CSS. */
function hatchSwatch(level: OverlayLevel): string {
  return `repeating-linear-gradient(135deg, ${OVERLAY_COLOUR[level]} 0 2px, #3b3f45 2px 6px)`;
}

/** Memoised: selecting a slot does not draw the legend (one entry per shard) again. */
export const SlotLegend = memo(function SlotLegend({ model, marks }: { model: SlotMapModel; marks?: SlotMarks }) {
  const { counts } = model.overlay;
  return (
    <ul className="flex flex-wrap gap-x-5 gap-y-1 text-sm" data-testid="slot-legend">
      {model.owners.map((node, i) => (
        <li key={node.id} className="flex items-center gap-2" data-testid="slot-legend-shard">
          <span
            className="inline-block h-3 w-3 rounded-sm"
            style={{ background: model.colours[i] }}
            aria-hidden="true"
          />
          {node.addr} <span className="text-muted">{formatCount(node.slotCount)} slots</span>
        </li>
      ))}
      {OVERLAY_REASONS.filter((reason) => counts[reason] > 0).map((reason) => {
        const level = OVERLAY_LEVEL[reason];
        return (
          <li
            key={reason}
            className={`flex items-center gap-2 font-semibold ${level === 'critical' ? 'text-crit' : 'text-warn'}`}
            data-testid="slot-overlay-legend"
            data-reason={reason}
            data-level={level}
            data-slots={counts[reason]}
          >
            <span className="inline-block h-3 w-5 rounded-sm" style={{ background: hatchSwatch(level) }} aria-hidden />
            <span aria-hidden="true">{OVERLAY_TEXT[reason].icon}</span>
            <span>
              {formatCount(counts[reason])} slots: {OVERLAY_TEXT[reason].text}{' '}
              <span className="font-normal text-muted">({HATCH_WORDS[level]})</span>
            </span>
          </li>
        );
      })}
      {model.uncovered > 0 && (
        <li className="flex items-center gap-2 font-semibold text-crit">
          <span aria-hidden="true">✕</span> {formatCount(model.uncovered)} uncovered (red cross-hatch)
        </li>
      )}
      {model.open.size > 0 && (
        <li className="flex items-center gap-2 text-warn">
          <span className="inline-block h-3 w-3 border-2 border-white" aria-hidden="true" /> {model.open.size} open
          (migrating/importing, white outline)
        </li>
      )}
      {marks && marks.inFlight.length > 0 && (
        <li className="flex items-center gap-2" data-testid="slot-legend-in-flight" data-slots={marks.inFlight.length}>
          <span className="inline-block h-3 w-3 border border-bg bg-white" aria-hidden="true" />
          <span>
            {formatCount(marks.inFlight.length)} being moved now <span className="text-muted">(white)</span>
          </span>
        </li>
      )}
      {marks && marks.moved.length > 0 && (
        <li className="flex items-center gap-2" data-testid="slot-legend-moved" data-slots={slotCount(marks.moved)}>
          <span className="inline-block h-3 w-5 border-2 border-dashed border-white" aria-hidden="true" />
          <span>
            {formatCount(slotCount(marks.moved))} moved so far by the <Term word="reshard">reshard</Term>{' '}
            <span className="text-muted">(dashed outline)</span>
          </span>
        </li>
      )}
    </ul>
  );
});
