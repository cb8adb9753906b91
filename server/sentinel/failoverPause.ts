import 'server-only';
import type { SentinelFailoverTimings } from '@/lib/sentinel/failoverPlan';
import type { FailoverLinks } from './failoverLinks';

const POLL_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CLIENT PAUSE <slice> WRITE on the master, renewed every third of a slice until `limitMs` after the first pause: a
 * dashboard that stops mid-way leaves writers paused for one slice at most, and writers never stall longer than the
 * limit. Reads, and the replication stream, go on; Redis sends no PING to replicas while paused, so the master's
 * offset stands still and the replicas can reach it.
 */
export class WritePause {
  private timer: NodeJS.Timeout | undefined;
  private startedAt = 0;
  /** The limit ran out while the job still held the pause: writes are taken again on the master. */
  expired = false;
  lastError: string | undefined;

  constructor(
    private readonly links: FailoverLinks,
    readonly addr: string,
    private readonly timings: SentinelFailoverTimings,
  ) {}

  /** CLIENT UNPAUSE was answered. */
  released = false;

  get sliceMs(): number {
    return this.timings.pauseSliceMs;
  }

  private async pause(): Promise<void> {
    const left = this.startedAt + this.timings.pauseLimitMs - Date.now();
    if (left <= 0) {
      this.expired = true;
      this.stopTimer();
      return;
    }
    await this.links.node(this.addr, 'CLIENT', 'PAUSE', Math.min(this.timings.pauseSliceMs, left), 'WRITE');
  }

  /** Pauses writers (throws when the master refuses: an old version, an ACL, a renamed CLIENT). */
  async start(): Promise<void> {
    this.startedAt = Date.now();
    await this.pause();
    this.timer = setInterval(
      () => {
        this.pause().catch((err: unknown) => {
          this.lastError = err instanceof Error ? err.message : String(err);
        });
      },
      Math.floor(this.timings.pauseSliceMs / 3),
    );
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** CLIENT UNPAUSE over a connection of its own (Sentinel may have closed the job's). */
  async release(): Promise<void> {
    this.stopTimer();
    await this.links.nodeOnce(this.addr, 'CLIENT', 'UNPAUSE');
    this.released = true;
  }
}

export interface CatchUp {
  masterOffset: number;
  replicas: Record<string, number>;
}

/** "master 1234 · 127.0.0.2:6379 1234 · 127.0.0.3:6379 1200 (34 B behind)". */
export function describeOffsets(
  masterOffset: number | undefined,
  replicas: Record<string, number | undefined>,
): string {
  const parts = Object.entries(replicas).map(([addr, offset]) => {
    if (offset === undefined) return `${addr} not answering`;
    const behind = masterOffset !== undefined && offset < masterOffset ? ` (${masterOffset - offset} B behind)` : '';
    return `${addr} ${offset}${behind}`;
  });
  return [`master ${masterOffset ?? '?'}`, ...parts].join(' · ');
}

/**
 * Waits until every replica in `replicas` has the master's replication offset (writes paused, so it stands still),
 * reporting the offsets as it goes; throws with the offsets when the deadline passes first.
 */
export async function waitForCatchUp(
  links: FailoverLinks,
  master: string,
  replicas: string[],
  deadlineMs: number,
  report: (detail: string) => void,
  signal: AbortSignal,
): Promise<CatchUp> {
  const until = Date.now() + deadlineMs;
  let masterOffset: number | undefined;
  const offsets: Record<string, number | undefined> = Object.fromEntries(replicas.map((r) => [r, undefined]));
  let lastDetail = '';
  while (true) {
    if (signal.aborted) throw new Error('cancelled by an operator before SENTINEL FAILOVER: nothing was changed');
    const own = await links.replication(master);
    if (own.role !== 'master') throw new Error(`${master} no longer reports role:master`);
    masterOffset = own.offset;
    await Promise.all(
      replicas.map(async (addr) => {
        offsets[addr] = await links.replication(addr).then(
          (r) => r.offset,
          () => undefined,
        );
      }),
    );
    const detail = describeOffsets(masterOffset, offsets);
    if (detail !== lastDetail) report(detail);
    lastDetail = detail;
    const mo = masterOffset;
    if (replicas.every((r) => (offsets[r] ?? -1) >= mo)) {
      return { masterOffset: mo, replicas: Object.fromEntries(replicas.map((r) => [r, offsets[r] ?? mo])) };
    }
    if (Date.now() >= until)
      throw new Error(`the replicas did not reach the master's offset within ${deadlineMs} ms: ${detail}`);
    await sleep(POLL_MS);
  }
}
