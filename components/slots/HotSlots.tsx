import { formatHeat } from '@/lib/cluster/heatScale';
import type { MetricHeat } from '@/lib/cluster/slotHeat';
import { shortId } from '@/lib/format';
import { SLOT_COUNT } from '@/lib/redis/slots';

/** The hottest slots of one metric: slot, value, share of the total, owner. A click selects the slot on the map. */
export function HotSlots({ view, onSelect }: { view: MetricHeat; onSelect: (slot: number) => void }) {
  // While a first sweep runs, the total (and so each share) covers only the slots read so far: said in the header.
  const read = view.values.length ? view.values.reduce((n: number, v) => n + (v === null ? 0 : 1), 0) : SLOT_COUNT;
  const shareOf = read < SLOT_COUNT ? `Share of the ${read.toLocaleString('en-US')} slots read` : 'Share';
  return (
    <div className="space-y-2" data-testid="hot-slots">
      <h3 className="font-semibold">Hot slots</h3>
      {view.top.length === 0 ? (
        <p className="text-sm text-muted">No slot with a value yet.</p>
      ) : (
        <table className="w-full text-sm">
          <thead className="text-left text-muted">
            <tr>
              <th className="py-1 pr-3 font-normal">Slot</th>
              <th className="py-1 pr-3 text-right font-normal">{view.metric === 'keys' ? 'Keys' : 'Rate'}</th>
              <th className="py-1 pr-3 text-right font-normal">{shareOf}</th>
              <th className="py-1 font-normal">Owner</th>
            </tr>
          </thead>
          <tbody>
            {view.top.map((hot) => (
              <tr key={hot.slot} data-testid="hot-slot" data-slot={hot.slot} className="border-t border-border">
                <td className="py-1 pr-3">
                  <button
                    type="button"
                    className="font-mono underline decoration-dotted hover:text-text"
                    onClick={() => onSelect(hot.slot)}
                  >
                    {hot.slot}
                  </button>
                </td>
                <td className="py-1 pr-3 text-right tabular-nums">{formatHeat(view.metric, hot.value)}</td>
                <td className="py-1 pr-3 text-right tabular-nums">{(hot.share * 100).toFixed(1)} %</td>
                <td className="whitespace-nowrap py-1" title={`${hot.owner.addr} ${hot.owner.id}`}>
                  {hot.owner.addr} <span className="font-mono text-muted">{shortId(hot.owner.id)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
