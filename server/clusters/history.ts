import 'server-only';
import type { ClusterSlowlogResponse } from '@/lib/api/types';
import { type HistoryResponse, type HistoryWindow, type LatencyResponse, WINDOWS } from '@/lib/history/types';
import { notPermittedText, OPTIONAL_COMMANDS } from '@/lib/redis/refusal';
import { ApiError } from '../api/errors';
import { getSentinelPoller } from '../collect/pollers';
import { sentinelSlowlog } from '../sentinel/slowlog';
import { readSlowlog } from './nodeDetail';
import { pollerOr404 } from './poller';

/** Points per series in one answer: enough for a chart's width, small enough to refetch every few seconds. */
export const HISTORY_MAX_POINTS = 300;

export function parseWindow(value: string | null): HistoryWindow {
  if (value === null) return '15m';
  if (value in WINDOWS) return value as HistoryWindow;
  throw new ApiError('bad_request', `window must be one of ${Object.keys(WINDOWS).join(', ')}`, [
    `window: ${Object.keys(WINDOWS).join(' | ')}`,
  ]);
}

export function clusterHistory(clusterId: string, window: HistoryWindow): HistoryResponse {
  const sentinel = getSentinelPoller(clusterId);
  if (sentinel) {
    // A Sentinel deployment's data nodes, in the same series (nodeId = addr; in memory only, no minute averages).
    return {
      clusterId,
      window,
      pollIntervalMs: sentinel.deployment.pollIntervalMs,
      nodes: sentinel.history.series(sentinel.historyNodes, Date.now() - WINDOWS[window], HISTORY_MAX_POINTS),
    };
  }
  const poller = pollerOr404(clusterId);
  const { nodes, minuteAveragesUntil } = poller.history.window(
    poller.latest,
    Date.now() - WINDOWS[window],
    HISTORY_MAX_POINTS,
  );
  return {
    clusterId,
    window,
    pollIntervalMs: poller.cluster.pollIntervalMs,
    nodes,
    ...(minuteAveragesUntil !== undefined ? { minuteAveragesUntil } : {}),
  };
}

export function clusterLatency(clusterId: string, window: HistoryWindow): LatencyResponse {
  const poller = pollerOr404(clusterId);
  const stats = poller.history.latency(poller.latest, Date.now() - WINDOWS[window]);
  const byId = new Map((poller.latest?.nodes ?? []).map((n) => [n.id, n]));
  return {
    clusterId,
    window,
    sampleEveryMs: poller.cluster.latencySampleMs,
    nodes: stats.map((s) => {
      const node = byId.get(s.nodeId);
      const latency = node?.latency;
      const user = poller.latest?.user ?? 'default';
      const refused = node?.refused?.find((r) => r.command === OPTIONAL_COMMANDS.latency.acl);
      const configRefused = node?.refused?.find((r) => r.command === OPTIONAL_COMMANDS.config.acl);
      return {
        ...s,
        ...(refused ? { refused: notPermittedText({ user, command: refused.command }) } : {}),
        ...(configRefused && latency?.thresholdMs === undefined
          ? { thresholdRefused: notPermittedText({ user, command: configRefused.command }) }
          : {}),
        monitorEnabled: latency?.monitorEnabled ?? false,
        ...(latency?.thresholdMs !== undefined ? { thresholdMs: latency.thresholdMs } : {}),
        events: latency?.events ?? [],
        percentiles: latency?.percentiles ?? {},
      };
    }),
  };
}

/** Every reachable node's slow log (shared reads, one SLOWLOG GET per node per period), merged newest first. */
export async function clusterSlowlog(clusterId: string, count: number): Promise<ClusterSlowlogResponse> {
  const sentinel = getSentinelPoller(clusterId);
  if (sentinel) return sentinelSlowlog(sentinel, count);
  const poller = pollerOr404(clusterId);
  const nodes = (poller.latest?.nodes ?? []).filter((n) => n.reachable);
  const reads = await Promise.all(nodes.map(async (node) => ({ node, read: await readSlowlog(poller, node) })));
  return {
    entries: reads
      .flatMap(({ node, read }) =>
        read.entries.slice(0, count).map((e) => ({ ...e, nodeId: node.id, addr: node.addr })),
      )
      .sort((a, b) => b.timestamp - a.timestamp || b.durationMicros - a.durationMicros)
      .slice(0, count * 4),
    skipped: reads.flatMap(({ node, read }) =>
      read.notPermitted || read.error !== undefined
        ? [
            {
              nodeId: node.id,
              addr: node.addr,
              ...(read.notPermitted ? { notPermitted: read.notPermitted } : { error: read.error }),
            },
          ]
        : [],
    ),
  };
}
