import { formatClock } from '@/lib/format';
import type { TimelineEvent } from '@/lib/timeline/diff';

const MARK = { critical: 'text-crit', warning: 'text-warn', info: 'text-muted' } as const;

/** Newest first; absolute times with the time zone. */
export function TimelineList({ events }: { events: TimelineEvent[] }) {
  if (events.length === 0) return <p className="text-sm text-muted">No events since the dashboard started watching.</p>;
  return (
    <ol className="max-h-96 space-y-1 overflow-y-auto text-sm" data-testid="timeline">
      {events.map((e, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: events have no id and several can share a timestamp
        <li key={`${e.at}-${i}`} className="flex gap-3" data-testid="timeline-event" data-kind={e.kind}>
          <time className="tabular shrink-0 text-muted" dateTime={e.at}>
            {new Date(e.at).toISOString().slice(0, 10)} {formatClock(new Date(e.at))}
          </time>
          <span className={`shrink-0 font-semibold ${MARK[e.severity]}`}>{e.kind.replace(/_/g, ' ')}</span>
          <span>{e.message}</span>
        </li>
      ))}
    </ol>
  );
}
