import type { SlotMapModel } from '@/lib/cluster/slotMap';
import { describeSelection, rangeOwners } from '@/lib/cluster/slotSelection';
import type { SlotRange } from '@/lib/redis/slots';

/**
 * The map's selected range in words (the canvas is never the only place it shows), with "Move these slots to…" for
 * operators.
 */
export function SlotSelectionBar({
  model,
  range,
  onMove,
  moveBlocked,
  onClear,
}: {
  model: SlotMapModel;
  range: SlotRange | undefined;
  /** Operators only. */
  onMove?: (range: SlotRange) => void;
  /** Why moving is not offered right now (e.g. a reshard is running). */
  moveBlocked?: string;
  onClear: () => void;
}) {
  if (!range)
    return (
      <p className="text-xs text-muted" data-testid="slot-selection-hint">
        Drag across the map, or click a slot and shift-click another (shift+arrow keys on the keyboard), to select a
        range of slots{onMove ? ' and move it to another master' : ''}.
      </p>
    );
  const owners = rangeOwners(range, model.owner, model.owners);
  const single = range[0] === range[1];
  return (
    <div
      className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded border border-border bg-bg px-3 py-1.5 text-sm"
      data-testid="slot-selection"
      data-start={range[0]}
      data-end={range[1]}
    >
      <span className="text-muted">Selected:</span>
      <span className="tabular min-w-0 font-semibold" data-testid="slot-selection-text">
        {describeSelection(range, owners)}
      </span>
      <span className="text-xs text-muted">shift-click or shift+arrows extend · Esc clears</span>
      <span className="ml-auto flex items-center gap-2">
        {onMove &&
          (moveBlocked ? (
            <span className="text-xs text-muted" data-testid="reshard-blocked">
              {moveBlocked}
            </span>
          ) : (
            <button
              type="button"
              className="rounded border border-warn/60 px-3 py-1 font-semibold hover:border-warn"
              onClick={() => onMove(range)}
              data-testid="reshard-open"
              title="Open the reshard: pick the master that receives these slots, see the plan and its pre-flight checks; nothing moves until you confirm"
            >
              {single ? 'Move this slot to…' : 'Move these slots to…'}
            </button>
          ))}
        <button type="button" className="rounded border border-border px-2 py-1 text-xs" onClick={onClear}>
          Clear
        </button>
      </span>
    </div>
  );
}
