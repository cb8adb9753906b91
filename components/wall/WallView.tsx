'use client';

import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { ClusterSummary, SnapshotResponse } from '@/lib/api/types';
import { snapshotQuery } from '@/lib/client/queries';
import { freshness } from '@/lib/cluster/freshness';
import { evaluateFindings } from '@/lib/findings';
import { formatClock, formatCount } from '@/lib/format';
import { useNow } from '../cluster/useNow';

const STATE_STYLE = {
  ok: 'border-ok text-ok',
  fail: 'border-crit text-crit',
  unknown: 'border-unknown text-unknown',
} as const;

/** Every cluster at once, readable across a room: no hover, no scrolling, stale data never shown as green. */
export function WallView({ clusters }: { clusters: ClusterSummary[] }) {
  const queries = useQueries({ queries: clusters.map((c) => snapshotQuery(c.id)) });
  const now = useNow();
  return (
    <div className="grid gap-6 [grid-template-columns:repeat(auto-fit,minmax(min(100%,36rem),1fr))]" data-testid="wall">
      {clusters.map((cluster, i) => (
        <WallTile
          key={cluster.id}
          cluster={cluster}
          snapshot={queries[i]?.data}
          receivedAt={queries[i]?.dataUpdatedAt ?? 0}
          error={queries[i]?.error ?? null}
          now={now}
        />
      ))}
    </div>
  );
}

function WallTile({
  cluster,
  snapshot,
  receivedAt,
  error,
  now,
}: {
  cluster: ClusterSummary;
  snapshot: SnapshotResponse | undefined;
  receivedAt: number;
  error: Error | null;
  now: number;
}) {
  // Findings are computed once per snapshot, not on every tick of the clock.
  const critical = useMemo(
    () => (snapshot ? evaluateFindings(snapshot).filter((f) => f.severity === 'critical') : []),
    [snapshot],
  );
  const fresh = snapshot
    ? freshness({ ageAtReceiptMs: snapshot.ageMs, receivedAt, now, pollIntervalMs: snapshot.pollIntervalMs })
    : undefined;
  const state = !snapshot || fresh?.state === 'stale' ? 'unknown' : snapshot.status;
  const down = snapshot ? snapshot.summary.nodes - snapshot.summary.reachable : 0;
  return (
    <section
      className={`rounded-xl border-4 bg-panel p-6 ${STATE_STYLE[state]}`}
      data-testid="wall-tile"
      data-cluster={cluster.id}
      data-state={state}
    >
      <div className="text-3xl font-semibold text-text">{cluster.name}</div>
      <div className="text-7xl font-bold leading-tight">
        {snapshot ? (state === 'unknown' ? 'UNKNOWN' : state.toUpperCase()) : '…'}
      </div>
      {snapshot && (
        <div className="mt-2 flex flex-wrap gap-x-12 gap-y-3 text-text">
          <div>
            <div className="text-sm uppercase text-muted">critical</div>
            <div
              className={`tabular text-5xl font-semibold ${critical.length ? 'text-crit' : ''}`}
              data-testid="wall-critical"
            >
              {critical.length}
            </div>
          </div>
          <div>
            <div className="text-sm uppercase text-muted">slots ok</div>
            <div className="tabular text-5xl font-semibold">
              {formatCount(Number(snapshot.state.cluster_slots_ok ?? Number.NaN))}
            </div>
          </div>
          <div>
            <div className="text-sm uppercase text-muted">nodes up</div>
            <div className={`tabular text-5xl font-semibold ${down > 0 ? 'text-crit' : ''}`}>
              {snapshot.summary.reachable}/{snapshot.summary.nodes}
            </div>
          </div>
          <div>
            <div className="text-sm uppercase text-muted">masters</div>
            <div className="tabular text-5xl font-semibold">{snapshot.summary.masters}</div>
          </div>
        </div>
      )}
      {critical[0] && <p className="mt-3 text-xl text-crit">{critical[0].message}</p>}
      <div className="mt-3 text-xl text-muted" data-testid="wall-freshness">
        {fresh?.state === 'stale' ? `STALE since ${formatClock(fresh.since)}` : error ? error.message : ''}
      </div>
    </section>
  );
}
