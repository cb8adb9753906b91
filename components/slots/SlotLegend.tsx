import type { SlotMapModel } from '@/lib/cluster/slotMap';
import { formatCount } from '@/lib/format';

export function SlotLegend({ model }: { model: SlotMapModel }) {
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
    </ul>
  );
}
