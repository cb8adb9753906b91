import 'server-only';
import { type ConfigDiff, diffConfigs } from '@/lib/nodeConfig/diff';
import { ApiError } from '../api/errors';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { configNodes, readNodeConfig } from './nodeConfigRead';

/** CONFIG GET * is read on request, not every poll; one answer serves everyone asking within this window. */
export const CONFIG_DIFF_CACHE_MS = 5000;
const READ_TIMEOUT_MS = 2000;

const cache = new Map<string, { at: number; diff: Promise<ConfigDiff> }>();

export function configDiff(clusterId: string): Promise<ConfigDiff> {
  return configDiffOn(pollerOr404(clusterId));
}

/** The parameters that differ across the cluster's nodes (CONFIG GET * on the poller's connection to each node). */
export function configDiffOn(poller: ClusterPoller): Promise<ConfigDiff> {
  const id = poller.cluster.id;
  const cached = cache.get(id);
  if (cached && Date.now() - cached.at < CONFIG_DIFF_CACHE_MS) return cached.diff;
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  const diff = Promise.all(
    configNodes(snapshot.nodes).map((node) =>
      readNodeConfig(node, poller.member(node.id)?.connection, ['*'], READ_TIMEOUT_MS, secrets),
    ),
  ).then((reads) => diffConfigs(reads, new Date()));
  cache.set(id, { at: Date.now(), diff });
  diff.catch(() => cache.delete(id));
  return diff;
}

/** A change made through the dashboard is seen at the next read. */
export function forgetConfigDiff(clusterId: string): void {
  cache.delete(clusterId);
}
