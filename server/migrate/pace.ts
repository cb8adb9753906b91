import 'server-only';
import { sleepUnlessAborted } from '../jobs/abortWatch';
import type { MigrationConnections } from './connections';
import { MigrationError } from './errors';
import type { MigrationStats } from './progress';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The longest the latency guard holds a source's MIGRATEs, unless the job says otherwise. */
export const DEFAULT_MAX_PAUSE_MS = 60_000;
/** How often the latency guard PINGs a source while it is in use. */
const PROBE_EVERY_MS = 100;

/**
 * Impact control: an optional keys/s budget shared by the whole job, and a latency guard that holds every MIGRATE
 * from a source while that source's PING round trip (on a connection of its own, so it waits as a client would)
 * is above the limit.
 */
export class Pace {
  private nextAt = 0;
  private readonly latency = new Map<string, number>();
  /** When each source's PING in flight was sent: one unanswered for longer than the limit counts as slow already. */
  private readonly pinging = new Map<string, number>();
  private readonly probing = new Set<string>();
  private stopped = false;

  constructor(
    private readonly conns: MigrationConnections,
    private readonly stats: MigrationStats,
    private readonly keysPerSec: number | undefined,
    private readonly maxLatencyMs: number | undefined,
    /** Told when a pause starts or ends: viewers see it at once, not at the next progress tick. */
    private readonly onPauseChange: () => void = () => {},
    /** A pause longer than this fails the slot (no reply). */
    private readonly maxPauseMs: number = DEFAULT_MAX_PAUSE_MS,
    /** The job's cancel: ends a pause at once (the slot waiting fails, left open for resume or roll back). */
    private readonly signal?: AbortSignal,
  ) {}

  /** Keys per MIGRATE under a throttle: about a tenth of a second's budget, so the pace stays even. */
  capBatch(keys: number): number {
    return this.keysPerSec ? Math.max(1, Math.min(keys, Math.ceil(this.keysPerSec / 10))) : keys;
  }

  /** Waits until `keys` more keys may move from `sourceId`. */
  async before(sourceId: string, keys: number, slot?: number): Promise<void> {
    if (this.maxLatencyMs !== undefined) await this.untilResponsive(sourceId, this.maxLatencyMs, slot);
    if (this.keysPerSec) {
      const now = Date.now();
      const at = Math.max(now, this.nextAt);
      this.nextAt = at + (keys * 1000) / this.keysPerSec;
      if (at > now) await sleep(at - now);
    }
  }

  private currentLatency(sourceId: string): number | undefined {
    const measured = this.latency.get(sourceId);
    const sent = this.pinging.get(sourceId);
    const waiting = sent === undefined ? undefined : performance.now() - sent;
    if (measured === undefined) return waiting;
    return waiting === undefined ? measured : Math.max(measured, waiting);
  }

  /**
   * Holds while the source's PING is slower than `limit`; at most `maxPauseMs`, then the slot fails (no reply, the
   * slot left where it is for resume or roll back). Cancel ends the wait at once, the same way.
   */
  private async untilResponsive(sourceId: string, limit: number, slot: number | undefined): Promise<void> {
    this.probe(sourceId);
    let pausedAt: number | undefined;
    try {
      for (;;) {
        const ms = this.currentLatency(sourceId);
        if (ms === undefined || ms <= limit || this.stopped || this.conns.isHalted) break;
        const addr = this.conns.node(sourceId).connectAddr;
        const of = slot === undefined ? '' : `slot ${slot}: `;
        const why = Number.isFinite(ms)
          ? `source ${addr} PING ${Math.round(ms)} ms > ${limit} ms`
          : `source ${addr} does not answer PING`;
        const now = performance.now();
        if (pausedAt === undefined) {
          pausedAt = now;
          this.stats.setPaused(sourceId, why);
          this.onPauseChange();
        } else this.stats.setPaused(sourceId, why);
        if (this.signal?.aborted)
          throw new MigrationError(
            'no_reply',
            `${of}cancelled while the latency guard held MIGRATEs from ${addr} (${why}); the slot is left as it was, resume or roll back the job`,
            slot,
          );
        if (now - pausedAt >= this.maxPauseMs)
          throw new MigrationError(
            'no_reply',
            `${of}${addr} stayed too slow for ${Math.round((now - pausedAt) / 1000)} s (${why}, the longest pause is ${Math.round(this.maxPauseMs / 1000)} s): the slot is left as it was, resume or roll back the job once the source is responsive`,
            slot,
          );
        await sleepUnlessAborted(Math.min(PROBE_EVERY_MS / 2, this.maxPauseMs - (now - pausedAt)), this.signal);
      }
    } finally {
      if (pausedAt !== undefined) {
        this.stats.setPaused(sourceId, undefined);
        this.onPauseChange();
      }
    }
  }

  /** One PING loop per source, for as long as the job runs. */
  private probe(sourceId: string): void {
    if (this.probing.has(sourceId)) return;
    this.probing.add(sourceId);
    void (async () => {
      while (!this.stopped && !this.conns.isHalted) {
        const started = performance.now();
        this.pinging.set(sourceId, started);
        try {
          await this.conns.call(sourceId, 'probe', ['PING']);
          this.latency.set(sourceId, performance.now() - started);
        } catch {
          this.latency.set(sourceId, Number.POSITIVE_INFINITY);
        } finally {
          this.pinging.delete(sourceId);
        }
        await sleep(PROBE_EVERY_MS);
      }
    })();
  }

  stop(): void {
    this.stopped = true;
  }
}
