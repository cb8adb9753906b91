import type { Freshness } from '@/lib/cluster/freshness';
import { formatAge, formatClock } from '@/lib/format';

export function FreshnessBadge({
  state,
  ageMs,
  since,
  error,
}: {
  state: Freshness;
  ageMs: number;
  since: Date;
  error?: string;
}) {
  if (state === 'stale') {
    return (
      <div
        className="rounded bg-unknown/20 px-3 py-1 font-semibold text-text"
        data-testid="freshness"
        data-freshness="stale"
        role="status"
      >
        STALE since {formatClock(since)}
        {error ? <span className="ml-2 font-normal text-muted">({error})</span> : null}
      </div>
    );
  }
  return (
    <div
      className={state === 'fresh' ? 'text-text' : 'text-unknown'}
      data-testid="freshness"
      data-freshness={state}
      role="status"
    >
      updated {formatAge(ageMs)}
    </div>
  );
}
