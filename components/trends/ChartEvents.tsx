import { Term } from '@/components/common/Term';
import { formatClock } from '@/lib/format';
import { chartMarkers, type MarkerKind } from '@/lib/history/markers';
import type { ChartFrame } from '../charts/frame';

const WORD = { failover: 'failover', node_fail: 'FAIL', node_restarted: 'restart' } as const satisfies Record<
  MarkerKind,
  'failover' | 'FAIL' | 'restart'
>;
const MARK = { critical: 'text-crit', warning: 'text-warn', info: 'text-muted' } as const;

/** The markers drawn on the charts, as text: when, what, and the timeline's sentence for each event. */
export function ChartEvents({ frame }: { frame: ChartFrame }) {
  const markers = chartMarkers(frame.events, { from: frame.from, to: frame.to, mergeWithinMs: 0 });
  return (
    <section className="text-sm" aria-label="Events on the charts" data-testid="chart-events">
      <h2 className="sr-only">Events on the charts</h2>
      {markers.length === 0 ? (
        <p className="text-muted">
          No <Term word="failover" />, <Term word="FAIL">FAIL</Term> or <Term word="restart">restart</Term> in this
          window.
        </p>
      ) : (
        <ol className="space-y-0.5">
          {markers.map((m) => (
            <li key={`${m.t}-${m.label}`} className="flex gap-3" data-testid="chart-event" data-kind={m.kinds[0]}>
              <time className="tabular shrink-0 text-muted" dateTime={new Date(m.t).toISOString()}>
                {formatClock(new Date(m.t))}
              </time>
              <span className={`shrink-0 font-semibold ${MARK[m.severity]}`}>
                {m.kinds.map((k) => (
                  <Term key={k} word={WORD[k]}>
                    {m.label}
                  </Term>
                ))}
              </span>
              <span>{m.detail}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
