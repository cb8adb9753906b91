import type { SlotHeatResponse } from '@/lib/cluster/slotHeat';
import { SlotMapMode } from '@/lib/cluster/slotHeat';

const LABEL: Record<SlotMapMode, string> = { ownership: 'Ownership', keys: 'Keys', cpu: 'CPU', network: 'Network' };

/** Ownership / keys / CPU / network: CPU and network only where the nodes count them (CLUSTER SLOT-STATS). */
export function SlotHeatMode({
  mode,
  onMode,
  heat,
}: {
  mode: SlotMapMode;
  onMode: (mode: SlotMapMode) => void;
  heat: SlotHeatResponse | undefined;
}) {
  const shown = SlotMapMode.options.filter((m) => m === 'ownership' || m === 'keys' || heat?.metrics[m].available);
  return (
    <fieldset className="flex items-center gap-1 text-sm" data-testid="slot-map-mode">
      <legend className="sr-only">Colour the slot map by</legend>
      <span className="mr-1 text-muted" aria-hidden="true">
        Colour by
      </span>
      {shown.map((m) => (
        <label
          key={m}
          className={`cursor-pointer rounded border px-2 py-0.5 ${mode === m ? 'border-text bg-border' : 'border-border text-muted hover:text-text'}`}
        >
          <input
            type="radio"
            name="slot-map-mode"
            value={m}
            checked={mode === m}
            onChange={() => onMode(m)}
            className="sr-only"
          />
          {LABEL[m]}
        </label>
      ))}
    </fieldset>
  );
}
