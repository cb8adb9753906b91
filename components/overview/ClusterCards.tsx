'use client';

import Link from 'next/link';
import type { ClusterSummary } from '@/lib/api/types';
import { useSessionEnded } from '@/lib/client/session';
import { formatClock, formatCount } from '@/lib/format';
import { HEALTH_LABEL, type Health } from '@/lib/health/clusterHealth';
import { formatMemoryPct, memoryTone } from '@/lib/overview/glance';
import { SessionEnded } from '../auth/SessionEnded';
import { HEALTH_STYLE, TONE_TEXT } from './healthStyle';
import { haproxyGlanceWord, isSentinelGlance } from './sentinelGlance';
import { type ClusterView, useClusterGlances } from './useClusterGlances';

/** The health shown for a cluster: no data yet and stale data are both UNKNOWN (grey), never the last green. */
export function viewHealth(view: ClusterView): Health {
  return view.glance?.health.health ?? 'unknown';
}

/** "1 DOWN · 2 DEGRADED · 5 OK": every cluster's health in one line, worst first. */
export function HealthTally({ views, className = '' }: { views: readonly ClusterView[]; className?: string }) {
  const order: Health[] = ['down', 'degraded', 'unknown', 'ok'];
  const counts = order.map((h) => ({ h, n: views.filter((v) => viewHealth(v) === h).length })).filter((c) => c.n > 0);
  return (
    <span className={className} data-testid="health-tally">
      {counts.map((c, i) => (
        <span key={c.h}>
          {i > 0 && <span className="text-muted"> · </span>}
          <span className={HEALTH_STYLE[c.h].text}>
            {c.n} {HEALTH_LABEL[c.h]}
          </span>
        </span>
      ))}
    </span>
  );
}

function Stat({ label, value, tone }: { label: string; value: string; tone?: 'warn' | 'crit' }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wider text-muted">{label}</dt>
      <dd
        className={`tabular font-semibold ${/\d/.test(value) ? 'text-xl' : 'text-base leading-7'} ${tone ? TONE_TEXT[tone] : 'text-text'}`}
      >
        {value}
      </dd>
    </div>
  );
}

function ClusterCard({ view, linked }: { view: ClusterView; linked: boolean }) {
  const { cluster, glance, freshness, since } = view;
  const health = viewHealth(view);
  const style = HEALTH_STYLE[health];
  const stale = freshness === 'stale';
  const detail = glance?.detail ?? (view.error ? `no data: ${view.error}` : 'waiting for the first poll…');
  const sentinel = isSentinelGlance(glance) ? glance : undefined;
  const kind = sentinel || cluster.kind === 'sentinel' ? 'sentinel' : 'cluster';
  const proxy = sentinel && haproxyGlanceWord(sentinel);
  const frame = `flex h-full flex-col gap-3 rounded-lg border-2 p-4 ${style.frame} ${style.tint}`;
  const body = (
    <>
      <div className="flex items-baseline justify-between gap-3">
        <div className="min-w-0">
          <div className="truncate text-lg font-medium text-text">{cluster.name}</div>
          <div className="truncate text-sm text-muted">
            {cluster.id} ·{' '}
            <span className="text-text" data-testid="cluster-card-kind">
              {kind === 'sentinel' ? 'Sentinel deployment' : 'Redis Cluster'}
            </span>
          </div>
        </div>
        <div
          className={`shrink-0 text-sm ${stale ? 'rounded bg-unknown/20 px-2 font-semibold text-text' : 'text-muted'}`}
          data-testid="cluster-card-updated"
        >
          {since ? `${stale ? 'STALE since' : 'updated'} ${formatClock(since)}` : '–'}
        </div>
      </div>
      <p className={style.text} data-testid="cluster-card-headline">
        <span className="block text-3xl font-bold leading-none">{HEALTH_LABEL[health]}</span>
        <span className="sr-only"> — </span>
        <span className="mt-1 block text-base font-medium">{detail}</span>
      </p>
      {sentinel ? (
        <dl className={`mt-auto flex flex-wrap gap-x-8 gap-y-2 ${stale ? 'opacity-60' : ''}`}>
          <Stat
            label="data nodes up"
            value={`${sentinel.nodesUp} / ${sentinel.nodesKnown}`}
            tone={!stale && sentinel.nodesUp < sentinel.nodesKnown ? 'crit' : undefined}
          />
          <Stat
            label="sentinels up"
            value={`${sentinel.sentinelsUp} / ${sentinel.sentinelsTotal}`}
            tone={!stale && sentinel.sentinelsUp < sentinel.sentinelsTotal ? 'warn' : undefined}
          />
          <Stat label="HAProxy" value={proxy?.text ?? '–'} tone={stale ? undefined : proxy?.tone} />
          <Stat label="ops/s" value={formatCount(sentinel.opsPerSec)} />
          <Stat
            label="memory"
            value={formatMemoryPct(sentinel.memory)}
            tone={stale ? undefined : memoryTone(sentinel.memory)}
          />
        </dl>
      ) : (
        glance &&
        glance.nodesKnown + glance.nodesNotPolled > 0 && (
          <dl className={`mt-auto flex flex-wrap gap-x-8 gap-y-2 ${stale ? 'opacity-60' : ''}`}>
            <Stat
              label="nodes up"
              value={`${glance.nodesUp} / ${glance.nodesKnown}`}
              tone={glance.nodesUp < glance.nodesKnown ? 'crit' : undefined}
            />
            {glance.nodesNotPolled > 0 && (
              <Stat label="not polled (outside nodeNetworks)" value={formatCount(glance.nodesNotPolled)} tone="warn" />
            )}
            <Stat label="masters with slots" value={formatCount(glance.masters)} />
            <Stat label="ops/s" value={formatCount(glance.opsPerSec)} />
            <Stat label="memory" value={formatMemoryPct(glance.memory)} tone={memoryTone(glance.memory)} />
          </dl>
        )
      )}
    </>
  );
  const data = {
    'data-testid': 'cluster-card',
    'data-cluster-id': cluster.id,
    'data-kind': kind,
    'data-health': health,
    'data-freshness': freshness ?? 'none',
  };
  // A kiosk screen cannot open the cluster page: its card is not a link.
  return linked ? (
    <Link
      href={`/clusters/${encodeURIComponent(cluster.id)}`}
      className={`${frame} hover:brightness-125 focus-visible:outline-2 focus-visible:outline-text`}
      {...data}
    >
      {body}
    </Link>
  ) : (
    <div className={frame} {...data}>
      {body}
    </div>
  );
}

/** The overview: one card per configured cluster or Sentinel deployment, for triage across them. */
export function ClusterCards({
  clusters,
  linked,
  kiosk,
}: {
  clusters: ClusterSummary[];
  linked: boolean;
  kiosk: boolean;
}) {
  const { views } = useClusterGlances(clusters);
  const sessionEnded = useSessionEnded();
  if (sessionEnded) return <SessionEnded kiosk={kiosk} />;
  return (
    <>
      <p className="mb-3 text-sm" aria-live="polite">
        <HealthTally views={views} />
      </p>
      <ul className="grid gap-4 md:grid-cols-2 2xl:grid-cols-3" data-testid="cluster-list">
        {views.map((view) => (
          <li key={view.cluster.id}>
            <ClusterCard view={view} linked={linked} />
          </li>
        ))}
      </ul>
    </>
  );
}
