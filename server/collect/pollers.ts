import 'server-only';
import { loadConfig, type ResolvedConfig } from '../config/load';
import { openStore } from '../store/open';
import { StoredTimeline } from '../store/timeline';
import { ClusterPoller } from './poller';
import { REGISTRY_KEY } from './registryKey';

interface PollerRegistry {
  config: ResolvedConfig;
  pollers: Map<string, ClusterPoller>;
}

// On globalThis: Next may load this module more than once (instrumentation, route bundles, dev hot reload),
// and there must still be exactly one poller per cluster per process.
const KEY = REGISTRY_KEY;
type Holder = { [KEY]?: PollerRegistry };

/**
 * Loads the config, opens the store in its data folder and starts one poller per cluster (its timeline in the store),
 * once per process. Throws ConfigError on a bad config or an unusable data folder.
 */
export function startPollers(): PollerRegistry {
  const holder = globalThis as Holder;
  const existing = holder[KEY];
  if (existing) return existing;
  const config = loadConfig();
  openStore(config);
  const pollers = new Map(config.clusters.map((c) => [c.id, new ClusterPoller(c, new StoredTimeline(c.id))]));
  for (const poller of pollers.values()) poller.start();
  const registry = { config, pollers };
  holder[KEY] = registry;
  return registry;
}

export function currentConfig(): ResolvedConfig {
  return startPollers().config;
}

export function getPoller(clusterId: string): ClusterPoller | undefined {
  return startPollers().pollers.get(clusterId);
}

export function listClusters(): Array<{ id: string; name: string }> {
  return startPollers().config.clusters.map((c) => ({ id: c.id, name: c.name }));
}

export function stopPollers(): void {
  const holder = globalThis as Holder;
  for (const poller of holder[KEY]?.pollers.values() ?? []) poller.stop();
  delete holder[KEY];
}
