import 'server-only';

export interface BackoffPolicy {
  /** Failures that impose no wait; the next one imposes firstDelayMs. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; each further failure doubles it. */
  firstDelayMs: number;
  /** The longest wait, however many failures. */
  maxDelayMs: number;
  /** A key with no failure for this long starts over (keep it above maxDelayMs). */
  forgetAfterMs: number;
  /** Most keys remembered; past it the key that failed least recently is dropped. */
  maxKeys: number;
}

interface Entry {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

/**
 * Exponential backoff per key (a user name at an address, an address): a few failures are free, then each one
 * doubles the wait before the key may try again, up to a cap. Memory is bounded by maxKeys.
 */
export class FailureBackoff {
  // Insertion order is failure order: a failing key is moved to the end, so the first key is the stalest.
  private readonly entries = new Map<string, Entry>();

  constructor(readonly policy: BackoffPolicy) {}

  private current(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key);
    if (entry && now - entry.lastFailureAt >= this.policy.forgetAfterMs && now >= entry.blockedUntil) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** Milliseconds until the key may try again; 0 when it may now. */
  retryAfterMs(key: string, now = Date.now()): number {
    const entry = this.current(key, now);
    return entry ? Math.max(0, entry.blockedUntil - now) : 0;
  }

  /** Records a failure; returns the wait it imposes (0 while failures are still free). */
  fail(key: string, now = Date.now()): number {
    const { freeFailures, firstDelayMs, maxDelayMs, maxKeys } = this.policy;
    const failures = (this.current(key, now)?.failures ?? 0) + 1;
    const over = failures - freeFailures - 1;
    // 2 ** over overflows to Infinity long after the cap is reached; Math.min keeps the cap.
    const delay = over < 0 ? 0 : Math.min(maxDelayMs, firstDelayMs * 2 ** over);
    this.entries.delete(key);
    this.entries.set(key, { failures, lastFailureAt: now, blockedUntil: now + delay });
    while (this.entries.size > maxKeys) {
      const stalest = this.entries.keys().next();
      if (stalest.done) break;
      this.entries.delete(stalest.value);
    }
    return delay;
  }

  reset(key: string): void {
    this.entries.delete(key);
  }

  /** Keys remembered now (bounded by maxKeys). */
  get size(): number {
    return this.entries.size;
  }
}

/** Retry-After is whole seconds; a wait of a few ms is still "1". */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
