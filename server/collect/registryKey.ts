import 'server-only';

/**
 * Where the process's one poller registry (config + pollers) lives on globalThis. Its own file so that code which only
 * reads the loaded config (proxy.ts) need not bundle the pollers.
 */
export const REGISTRY_KEY = Symbol.for('redis-cluster-dashboard.pollers');
