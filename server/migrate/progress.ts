import 'server-only';
import type { MigrationProgress } from '@/lib/jobs/types';
import { rangesFromSlots } from '@/lib/redis/slots';

/** Keys/s is measured over this much of the recent past, so a pause or a big key shows at once. */
const RATE_WINDOW_MS = 3000;

/** The engine's live figures; `snapshot()` is what viewers get in job.migration. */
export class MigrationStats {
  keysMoved = 0;
  bytesMoved = 0;
  slotsDone = 0;
  readonly inFlight = new Set<number>();
  readonly moved = new Set<number>();
  private readonly paused = new Map<string, string>();
  readonly startedAt = Date.now();
  private readonly samples: Array<{ at: number; keys: number }> = [{ at: this.startedAt, keys: 0 }];

  constructor(
    public slotsTotal: number,
    readonly keysTotal?: number,
  ) {}

  /** A slot with nothing to do (a roll back of a slot never started). */
  skip(): void {
    this.slotsTotal = Math.max(this.slotsDone, this.slotsTotal - 1);
  }

  addKeys(keys: number, bytes: number): void {
    this.keysMoved += keys;
    this.bytesMoved += bytes;
    const now = Date.now();
    this.samples.push({ at: now, keys: this.keysMoved });
    this.prune(now);
  }

  /** Keeps one sample at or before the window's start as the baseline. */
  private prune(now: number): void {
    while (this.samples.length > 1 && (this.samples[1]?.at ?? now) <= now - RATE_WINDOW_MS) this.samples.shift();
  }

  slotDone(slot: number): void {
    this.inFlight.delete(slot);
    this.moved.add(slot);
    this.slotsDone++;
  }

  setPaused(nodeId: string, reason: string | undefined): void {
    if (reason) this.paused.set(nodeId, reason);
    else this.paused.delete(nodeId);
  }

  /** Keys per second over the recent window: a pause shows within seconds. */
  keysPerSec(now = Date.now()): number {
    this.prune(now);
    const base = this.samples[0] ?? { at: this.startedAt, keys: 0 };
    const ms = now - base.at;
    return ms > 0 ? Math.round(((this.keysMoved - base.keys) * 1000) / ms) : 0;
  }

  /** Over the whole run: the figure an ETA for the next job is made from. */
  averageKeysPerSec(now = Date.now()): number {
    const ms = now - this.startedAt;
    return ms > 0 ? Math.round((this.keysMoved * 1000) / ms) : 0;
  }

  snapshot(): MigrationProgress {
    const now = Date.now();
    const rate = this.keysPerSec(now);
    const elapsed = now - this.startedAt;
    let etaMs: number | undefined;
    if (this.keysTotal !== undefined && rate > 0)
      etaMs = Math.max(0, ((this.keysTotal - this.keysMoved) * 1000) / rate);
    else if (this.slotsDone > 0) etaMs = ((this.slotsTotal - this.slotsDone) * elapsed) / this.slotsDone;
    const paused = [...this.paused.values()];
    return {
      slotsDone: this.slotsDone,
      slotsTotal: this.slotsTotal,
      keysMoved: this.keysMoved,
      ...(this.keysTotal !== undefined ? { keysTotal: this.keysTotal } : {}),
      bytesMoved: this.bytesMoved,
      keysPerSec: rate,
      ...(etaMs !== undefined ? { etaMs: Math.round(etaMs) } : {}),
      inFlight: [...this.inFlight].sort((a, b) => a - b),
      moved: rangesFromSlots(this.moved),
      ...(paused.length ? { paused: paused.join('; ') } : {}),
    };
  }
}
