'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { clusterSlowlogQuery, historyQuery, latencyQuery, snapshotQuery, timelineQuery } from '@/lib/client/queries';
import { type HistoryWindow, WINDOWS } from '@/lib/history/types';
import { chartFrame } from '../charts/frame';
import { METRICS } from '../charts/metrics';
import { NodeSmallMultiples } from '../charts/NodeSmallMultiples';
import { ShardStackChart } from '../charts/ShardStackChart';
import { SlowlogTable } from '../node/SlowlogTable';
import { BigKeysPanel } from './BigKeysPanel';
import { ChartEvents } from './ChartEvents';
import { LatencyPanel } from './LatencyPanel';
import { TrendsHeader } from './TrendsHeader';

export function TrendsView({
  clusterId,
  clusterName,
  canStartJobs,
}: {
  clusterId: string;
  clusterName: string;
  canStartJobs: boolean;
}) {
  const [window, setWindow] = useState<HistoryWindow>('15m');
  const snapshot = useQuery(snapshotQuery(clusterId));
  const history = useQuery(historyQuery(clusterId, window));
  const latency = useQuery(latencyQuery(clusterId, window));
  const slowlog = useQuery(clusterSlowlogQuery(clusterId));
  const timeline = useQuery(timelineQuery(clusterId));
  const nodes = snapshot.data?.nodes ?? [];
  const series = history.data?.nodes ?? [];
  const frame = chartFrame(
    series,
    history.data?.pollIntervalMs ?? 0,
    timeline.data ?? [],
    history.data?.minuteAveragesUntil,
  );
  return (
    <div className="space-y-6">
      <TrendsHeader id={clusterId} name={clusterName} window={window} onWindow={setWindow} />
      {history.error && <p className="text-crit">{history.error.message}</p>}
      {history.data?.minuteAveragesUntil !== undefined && (
        <p className="text-sm text-muted" data-testid="resolution-note">
          Before {new Date(history.data.minuteAveragesUntil).toLocaleString()} (the dotted line) each point is a
          1-minute mean kept in the store; after it, the polls' own samples.
        </p>
      )}
      <section className="grid gap-3 lg:grid-cols-2" aria-label="Cluster totals">
        {[METRICS.memory, METRICS.ops, METRICS.netIn, METRICS.clients].map((m) => (
          <ShardStackChart key={m.series} history={series} nodes={nodes} metric={m} frame={frame} />
        ))}
      </section>
      {frame && <ChartEvents frame={frame} />}
      {[METRICS.memory, METRICS.ops, METRICS.netOut, METRICS.clients].map((m) => (
        <NodeSmallMultiples key={m.series} history={series} nodes={nodes} metric={m} frame={frame} />
      ))}
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Latency ({window})</h2>
        {WINDOWS[window] > WINDOWS['1h'] && (
          <p className="text-sm text-muted">
            PING samples are kept in memory only: these figures cover at most the cluster's historyMinutes, not the
            whole {window}.
          </p>
        )}
        {latency.data && <LatencyPanel nodes={latency.data.nodes} sampleEveryMs={latency.data.sampleEveryMs} />}
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Slow log, every node</h2>
        {slowlog.error && <p className="text-crit">{slowlog.error.message}</p>}
        {slowlog.data && <SlowlogTable entries={slowlog.data.entries} skipped={slowlog.data.skipped} />}
      </section>
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Big keys</h2>
        <BigKeysPanel clusterId={clusterId} canStart={canStartJobs} />
      </section>
    </div>
  );
}
