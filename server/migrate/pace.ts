import 'server-only';
import type { MigrationConnections } from './connections';
import type { MigrationStats } from './progress';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
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
  private readonly probing = new Set<string>();
  private stopped = false;

  constructor(
    private readonly conns: MigrationConnections,
    private readonly stats: MigrationStats,
    private readonly keysPerSec: number | undefined,
    private readonly maxLatencyMs: number | undefined,
    /** Told when a pause starts or ends: viewers see it at once, not at the next progress tick. */
    private readonly onPauseChange: () => void = () => {},
  ) {}

  /** Keys per MIGRATE under a throttle: about a tenth of a second's budget, so the pace stays even. */
  capBatch(keys: number): number {
    return this.keysPerSec ? Math.max(1, Math.min(keys, Math.ceil(this.keysPerSec / 10))) : keys;
  }

  /** Waits until `keys` more keys may move from `sourceId`. */
  async before(sourceId: string, keys: number): Promise<void> {
    if (this.maxLatencyMs !== undefined) await this.untilResponsive(sourceId, this.maxLatencyMs);
    if (this.keysPerSec) {
      const now = Date.now();
      const at = Math.max(now, this.nextAt);
      this.nextAt = at + (keys * 1000) / this.keysPerSec;
      if (at > now) await sleep(at - now);
    }
  }

  private async untilResponsive(sourceId: string, limit: number): Promise<void> {
    this.probe(sourceId);
    let paused = false;
    for (;;) {
      const ms = this.latency.get(sourceId);
      if (ms === undefined || ms <= limit || this.stopped || this.conns.isHalted) break;
      const addr = this.conns.node(sourceId).connectAddr;
      this.stats.setPaused(
        sourceId,
        Number.isFinite(ms)
          ? `source ${addr} PING ${Math.round(ms)} ms > ${limit} ms`
          : `source ${addr} does not answer PING`,
      );
      if (!paused) this.onPauseChange();
      paused = true;
      await sleep(PROBE_EVERY_MS / 2);
    }
    if (paused) {
      this.stats.setPaused(sourceId, undefined);
      this.onPauseChange();
    }
  }

  /** One PING loop per source, for as long as the job runs. */
  private probe(sourceId: string): void {
    if (this.probing.has(sourceId)) return;
    this.probing.add(sourceId);
    void (async () => {
      while (!this.stopped && !this.conns.isHalted) {
        const started = performance.now();
        try {
          await this.conns.call(sourceId, 'probe', ['PING']);
          this.latency.set(sourceId, performance.now() - started);
        } catch {
          this.latency.set(sourceId, Number.POSITIVE_INFINITY);
        }
        await sleep(PROBE_EVERY_MS);
      }
    })();
  }

  stop(): void {
    this.stopped = true;
  }
}
