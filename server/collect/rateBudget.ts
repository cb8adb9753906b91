import 'server-only';
/**
 * At most `limit` units in any window of `windowMs` (sliding): what a sampler may send now without ever exceeding its
 * bound, however its timer drifts.
 */
export class RateBudget {
  private readonly spent: Array<{ at: number; n: number }> = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  /** Takes up to `wanted` units at `now` and returns how many were granted (0 when the window is full). */
  take(now: number, wanted: number): number {
    while (this.spent.length && (this.spent[0]?.at ?? now) <= now - this.windowMs) this.spent.shift();
    const used = this.spent.reduce((sum, s) => sum + s.n, 0);
    const granted = Math.max(0, Math.min(wanted, this.limit - used));
    if (granted > 0) this.spent.push({ at: now, n: granted });
    return granted;
  }
}
