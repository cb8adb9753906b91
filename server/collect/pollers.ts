import 'server-only';
import type { DeploymentKind } from '@/lib/sentinel/types';
import { closeReads } from '../clusters/reads';
import { loadConfig, type ResolvedCluster, type ResolvedConfig } from '../config/load';
import { changedClusterFields } from '../config/reloadPlan';
import { onJobChange } from '../jobs/registry';
import type { SentinelPoller } from '../sentinel/poller';
import { syncSentinelPollers } from '../sentinel/registry';
import { openStore } from '../store/open';
import { StoredTimeline } from '../store/timeline';
import { ClusterPoller } from './poller';
import { REGISTRY_KEY } from './registryKey';

interface PollerRegistry {
  config: ResolvedConfig;
  pollers: Map<string, ClusterPoller>;
  /** One poller per Sentinel deployment (config entries with "kind": "sentinel"). */
  sentinels: Map<string, SentinelPoller>;
  /** Jobs this process runs (job id -> cluster id): they hold their cluster's poller until they end. */
  jobs: Map<string, string>;
  stopWatchingJobs: () => void;
}

// On globalThis: Next may load this module more than once (instrumentation, route bundles, dev hot reload),
// and there must still be exactly one poller per cluster per process.
const KEY = REGISTRY_KEY;
type Holder = { [KEY]?: PollerRegistry };

/** What syncPollers did, by cluster id. */
export interface PollerSync {
  started: string[];
  stopped: string[];
  replaced: string[];
  /** Changed or removed, but a job of this process still runs on it: its poller stays until the job ends. */
  deferred: string[];
}

function newPoller(cluster: ResolvedCluster, previous?: ClusterPoller): ClusterPoller {
  // Same history window and sampling: the trends carry over (a new password or TLS file does not empty them).
  const keepHistory =
    previous &&
    previous.cluster.historyMinutes === cluster.historyMinutes &&
    previous.cluster.pollIntervalMs === cluster.pollIntervalMs &&
    previous.cluster.latencySampleMs === cluster.latencySampleMs;
  const poller = new ClusterPoller(cluster, new StoredTimeline(cluster.id), keepHistory ? previous.history : undefined);
  poller.start();
  return poller;
}

/**
 * Makes the running pollers match the config's clusters: a new cluster gets a poller, a removed one's is stopped, a
 * changed one's is stopped and a new one started with the new settings. A cluster a job of this process runs on keeps
 * its poller (the job reads its snapshots, e.g. a failover's verification) until the job ends, then is synced.
 */
function syncPollers(registry: PollerRegistry): PollerSync {
  const sync: PollerSync = { started: [], stopped: [], replaced: [], deferred: [] };
  const wanted = new Map(registry.config.clusters.map((c) => [c.id, c]));
  const busy = new Set(registry.jobs.values());
  for (const [id, poller] of registry.pollers) {
    const next = wanted.get(id);
    if (next && changedClusterFields(poller.cluster, next).length === 0) continue;
    if (busy.has(id)) {
      sync.deferred.push(id);
      continue;
    }
    poller.stop();
    closeReads(id);
    registry.pollers.delete(id);
    if (next) {
      registry.pollers.set(id, newPoller(next, poller));
      sync.replaced.push(id);
    } else sync.stopped.push(id);
  }
  for (const cluster of registry.config.clusters) {
    if (registry.pollers.has(cluster.id)) continue;
    registry.pollers.set(cluster.id, newPoller(cluster));
    sync.started.push(cluster.id);
  }
  const sentinels = syncSentinelPollers(registry.sentinels, registry.config.sentinels ?? [], busy);
  sync.started.push(...sentinels.started);
  sync.stopped.push(...sentinels.stopped);
  sync.replaced.push(...sentinels.replaced);
  sync.deferred.push(...sentinels.deferred);
  return sync;
}

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
  const registry: PollerRegistry = {
    config,
    pollers: new Map(),
    sentinels: new Map(),
    jobs: new Map(),
    stopWatchingJobs: () => {},
  };
  registry.stopWatchingJobs = onJobChange((job) => {
    if (job.state === 'running') registry.jobs.set(job.id, job.clusterId);
    else if (registry.jobs.delete(job.id)) {
      const sync = syncPollers(registry);
      const done = [...sync.replaced, ...sync.stopped];
      if (done.length)
        console.log(`[dashboard] config: job ${job.id} ended; ${done.join(', ')} now polled as the config says`);
    }
  });
  syncPollers(registry);
  holder[KEY] = registry;
  return registry;
}

/** Runs `config` from the next request on (users, roles, tokens, origins) and brings the pollers in line with it. */
export function applyConfig(config: ResolvedConfig): PollerSync {
  const registry = startPollers();
  registry.config = config;
  return syncPollers(registry);
}

export function currentConfig(): ResolvedConfig {
  return startPollers().config;
}

/** The cluster's poller; a cluster removed from the config keeps answering while a job of this process runs on it. */
export function getPoller(clusterId: string): ClusterPoller | undefined {
  return startPollers().pollers.get(clusterId);
}

export function listClusters(): Array<{ id: string; name: string }> {
  return startPollers().config.clusters.map((c) => ({ id: c.id, name: c.name }));
}

/** The Sentinel deployment's poller; undefined for a cluster id or an unknown one. */
export function getSentinelPoller(id: string): SentinelPoller | undefined {
  return startPollers().sentinels.get(id);
}

/** Every configured entry as the list shows it, with its kind: the clusters, then the Sentinel deployments. */
export function listDeployments(): Array<{ id: string; name: string; kind: DeploymentKind }> {
  const { config } = startPollers();
  return [
    ...config.clusters.map((c) => ({ id: c.id, name: c.name, kind: 'cluster' as const })),
    ...(config.sentinels ?? []).map((s) => ({ id: s.id, name: s.name, kind: 'sentinel' as const })),
  ];
}

export function stopPollers(): void {
  const holder = globalThis as Holder;
  const registry = holder[KEY];
  registry?.stopWatchingJobs();
  for (const [id, poller] of registry?.pollers ?? []) {
    poller.stop();
    closeReads(id);
  }
  for (const poller of registry?.sentinels.values() ?? []) poller.stop();
  delete holder[KEY];
}
