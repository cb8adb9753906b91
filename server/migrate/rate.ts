import 'server-only';

const KEY = Symbol.for('redis-cluster-dashboard.migration-rates');
type Holder = { [KEY]?: Map<string, { keysPerSec: number; at: number }> };

function rates(): Map<string, { keysPerSec: number; at: number }> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

/** Too few keys say nothing about the rate (the fixed per-slot costs dominate). */
const MIN_KEYS = 1000;

/** The engine's measured rate on a cluster, kept for the next preview's ETA. */
export function recordRate(clusterId: string, keys: number, keysPerSec: number): void {
  if (keys >= MIN_KEYS && keysPerSec > 0) rates().set(clusterId, { keysPerSec, at: Date.now() });
}

export function measuredRate(clusterId: string): number | undefined {
  return rates().get(clusterId)?.keysPerSec;
}
