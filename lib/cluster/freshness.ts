export type Freshness = 'fresh' | 'lagging' | 'stale';

export interface FreshnessInput {
  /** Age of the snapshot when the server sent it. */
  ageAtReceiptMs: number;
  /** Client clock when the response arrived. */
  receivedAt: number;
  now: number;
  pollIntervalMs: number;
}

/**
 * How old the data on screen really is: age when served plus time since it arrived (so a dead server and a stuck
 * poller both show). Stale after 3 poll intervals (at least 5 s): a wall must never keep showing old green.
 */
export function freshness({ ageAtReceiptMs, receivedAt, now, pollIntervalMs }: FreshnessInput) {
  const ageMs = Math.max(0, ageAtReceiptMs + (now - receivedAt));
  const staleAfterMs = Math.max(5000, pollIntervalMs * 3);
  const state: Freshness = ageMs > staleAfterMs ? 'stale' : ageMs > pollIntervalMs * 2 + 500 ? 'lagging' : 'fresh';
  return { state, ageMs, since: new Date(now - ageMs) };
}
