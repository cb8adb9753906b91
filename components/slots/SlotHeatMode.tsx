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
  // CPU and network need Valkey 8's CLUSTER SLOT-STATS with cluster-slot-stats-enabled: say why they are missing.
  const hidden = (['cpu', 'network'] as const).filter((m) => !shown.includes(m));
  const why = hidden.map((m) => heat?.metrics[m].note).find((note) => note !== undefined);
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
      {hidden.length > 0 && (
        <span className="ml-1 text-muted" data-testid="slot-map-mode-missing" title={why}>
          ({hidden.map((m) => LABEL[m]).join(' and ')}:{' '}
          {heat ? 'need Valkey 8 with cluster-slot-stats-enabled' : 'loading'})
        </span>
      )}
    </fieldset>
  );
}
