import 'server-only';
import { evaluateFindings } from '@/lib/findings';
import { type ClusterMetricsInput, prometheusText } from '@/lib/metrics/prometheus';
import { sentinelMetrics } from '@/lib/metrics/sentinel';
import type { ClusterPoller } from '../collect/poller';
import { startPollers } from '../collect/pollers';
import { findingsFor } from '../sentinel/api';
import type { SentinelPoller } from '../sentinel/poller';

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

/**
 * Every cluster's and Sentinel deployment's latest snapshot as Prometheus text; from the pollers' cache, no Redis call.
 * Given pollers (tests), only those are read.
 */
export function metricsText(pollers?: Iterable<ClusterPoller>, sentinels: Iterable<SentinelPoller> = []): string {
  const registry = pollers ? undefined : startPollers();
  const clusterPollers = pollers ?? registry?.pollers.values() ?? [];
  const sentinelPollers = registry ? registry.sentinels.values() : sentinels;
  const deployments = [...sentinelPollers].flatMap((p) =>
    p.latest ? [{ snapshot: p.latest, findings: findingsFor(p.latest) }] : [],
  );
  return prometheusText(
    [...clusterPollers].flatMap((poller) => metricsInput(poller) ?? []),
    (out) => sentinelMetrics(out, deployments),
  );
}
