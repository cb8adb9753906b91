import 'server-only';
import { evaluateFindings } from '@/lib/findings';
import { type ClusterMetricsInput, prometheusText } from '@/lib/metrics/prometheus';
import type { ClusterPoller } from '../collect/poller';
import { startPollers } from '../collect/pollers';

const PING_WINDOW_MS = 60_000;

/** One poller's latest snapshot, findings and mean PING per node; undefined before its first poll. */
function metricsInput(poller: ClusterPoller): ClusterMetricsInput | undefined {
  const snapshot = poller.latest;
  if (!snapshot) return undefined;
  const pingMs = new Map(
    poller.history
      .latency(snapshot, Date.now() - PING_WINDOW_MS)
      .flatMap((l) => (l.avgMs === null ? [] : [[l.nodeId, l.avgMs] as [string, number]])),
  );
  return { snapshot, findings: evaluateFindings(snapshot), pingMs };
}

/** Every cluster's latest snapshot as Prometheus text; read from the pollers' cache, no Redis call. */
export function metricsText(pollers: Iterable<ClusterPoller> = startPollers().pollers.values()): string {
  return prometheusText([...pollers].flatMap((poller) => metricsInput(poller) ?? []));
}
