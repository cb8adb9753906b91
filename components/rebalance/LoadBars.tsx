import { formatBytes, formatCount } from '@/lib/format';
import type { RebalancePreview } from '@/lib/jobs/rebalancePreview';

type By = 'slots' | 'keys' | 'memory';

const measure = (load: { slots: number; keys?: number; bytes?: number } | undefined, by: By) =>
  (by === 'slots' ? load?.slots : by === 'keys' ? load?.keys : load?.bytes) ?? 0;
const show = (n: number, by: By) => (by === 'memory' ? formatBytes(n) : formatCount(n));

/**
 * Per master, before and after, as two bars on one scale (the largest load of either): the imbalance and what the
 * plan makes of it, in the unit balanced by, with the share of the total in words.
 */
export function LoadBars({ preview, addr, by }: { preview: RebalancePreview; addr: (id: string) => string; by: By }) {
  const ids = Object.keys(preview.before);
  const max = Math.max(1, ...ids.flatMap((id) => [measure(preview.before[id], by), measure(preview.after[id], by)]));
  const total = ids.reduce((a, id) => a + measure(preview.before[id], by), 0) || 1;
  const unit = by === 'memory' ? 'bytes' : by;
  return (
    <div className="space-y-2" data-testid="rebalance-bars">
      <p className="text-sm text-muted">
        {unit} per master, <span className="text-text">before</span> (grey) and <span className="text-ok">after</span>{' '}
        (green)
      </p>
      {ids.map((id) => {
        const before = measure(preview.before[id], by);
        const after = measure(preview.after[id], by);
        return (
          <div
            key={id}
            className="grid grid-cols-[minmax(8rem,14rem)_1fr] items-center gap-x-3 text-sm"
            data-testid="rebalance-bar"
            data-node-id={id}
            data-before={before}
            data-after={after}
          >
            <span className="truncate">{addr(id)}</span>
            <div className="space-y-0.5">
              <div className="flex items-center gap-2">
                <div className="h-3 rounded-sm bg-muted/60" style={{ width: `${(100 * before) / max}%` }} />
                <span className="tabular shrink-0 text-xs text-muted">
                  {show(before, by)} ({Math.round((100 * before) / total)} %)
                </span>
              </div>
              <div className="flex items-center gap-2">
                <div className="h-3 rounded-sm bg-ok/70" style={{ width: `${(100 * after) / max}%` }} />
                <span className="tabular shrink-0 text-xs">
                  {show(after, by)} ({Math.round((100 * after) / total)} %)
                </span>
              </div>
            </div>
          </div>
        );
      })}
    </div>
  );
}
