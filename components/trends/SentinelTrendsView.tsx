'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { clusterSlowlogQuery, historyQuery } from '@/lib/client/queries';
import { type HistoryWindow, WINDOWS } from '@/lib/history/types';
import { MASTER_COLOUR } from '@/lib/sentinel/wall';
import { chartFrame } from '../charts/frame';
import { METRICS, type MetricSpec } from '../charts/metrics';
import { NodeSmallMultiples } from '../charts/NodeSmallMultiples';
import { SlowlogTable } from '../node/SlowlogTable';
import { TrendsHeader } from './TrendsHeader';

/** The poll's own INFO round trip per data node, kept as the history's ping_ms (no PING sampler here). */
const ROUND_TRIP: MetricSpec = { ...METRICS.ping, title: 'INFO round trip (each poll)' };

/** Per data node, the series a Sentinel deployment's history keeps (read from INFO every poll). */
const PER_NODE = [METRICS.memory, METRICS.ops, METRICS.netIn, METRICS.netOut, METRICS.clients, ROUND_TRIP];

/**
 * The trends of a Sentinel deployment: the cluster's per-node charts for its master and replicas, each labelled by
 * address and role. What only a cluster has (shard totals, slots, big keys, the PING sampler behind GET /latency) is
 * left out, and /latency is not asked; the latency chart is each poll's INFO round trip to the node.
 */
export function SentinelTrendsView({ deploymentId, deploymentName }: { deploymentId: string; deploymentName: string }) {
  const [window, setWindow] = useState<HistoryWindow>('15m');
  const history = useQuery(historyQuery(deploymentId, window));
  const slowlog = useQuery(clusterSlowlogQuery(deploymentId));
  const series = history.data?.nodes ?? [];
  const frame = chartFrame(series, history.data?.pollIntervalMs ?? 0, []);
  // One master and its replicas: one set, one colour (the wall tile's), never a status colour.
  const colours = useMemo(() => new Map(series.map((h) => [h.nodeId, MASTER_COLOUR])), [series]);
  return (
    <div className="space-y-6" data-testid="sentinel-trends">
      <TrendsHeader id={deploymentId} name={deploymentName} window={window} onWindow={setWindow} />
      {history.error && <p className="text-crit">{history.error.message}</p>}
      <p className="text-sm text-muted">
        Sentinel deployment: one chart per data node (the master first), read from each node&apos;s INFO every poll and
        kept in memory only
        {WINDOWS[window] > WINDOWS['1h'] ? `, so a ${window} window shows at most the deployment's historyMinutes` : ''}
        . Shard totals, slots and big keys are cluster-only and left out.
      </p>
      {history.data && series.length === 0 && (
        <p className="text-muted" role="status">
          No data node polled yet.
        </p>
      )}
      {PER_NODE.map((m) => (
        <NodeSmallMultiples key={m.series} history={series} nodes={[]} metric={m} frame={frame} colours={colours} />
      ))}
      <section className="space-y-2">
        <h2 className="text-lg font-semibold">Slow log, every data node</h2>
        {slowlog.error && <p className="text-crit">{slowlog.error.message}</p>}
        {slowlog.data && <SlowlogTable entries={slowlog.data.entries} skipped={slowlog.data.skipped} />}
      </section>
    </div>
  );
}
