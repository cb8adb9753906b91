import 'server-only';
import type { SentinelFailoverTimings } from '@/lib/sentinel/failoverPlan';
import type { FailoverLinks } from './failoverLinks';

const POLL_MS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CLIENT PAUSE <slice> WRITE on the master, renewed every third of a slice. Before SENTINEL FAILOVER the pause ends
 * at `pauseLimitMs` after the first one (below down-after-milliseconds: to the sentinels a paused master looks down);
 * once SENTINEL FAILOVER is sent, `commit` moves the end to the failover timeout, and the job releases it as soon as
 * the old master is a replica. Each CLIENT PAUSE is cut to the time left, so a dashboard that stops mid-way never
 * leaves writers paused past the end. Reads and the replication stream go on (on 7.0 the master's replication PING
 * still moves its offset by a few bytes; the catch-up re-reads it).
 */
export class WritePause {
  private timer: NodeJS.Timeout | undefined;
  private endAt = 0;
  /** Until when the CLIENT PAUSEs answered so far hold writers, at the least (sent time + duration). */
  private coveredUntil = 0;
  private inflight: Promise<void> | undefined;
  private holding = true;
  /** When writers were first no longer held while the job still needed them held (undefined: never). */
  lapsedAt: number | undefined;
  lastError: string | undefined;
  /** CLIENT UNPAUSE was answered. */
  released = false;
  /** Why writers were unpaused before the old master was a replica (abandon), if they were. */
  endedEarly: string | undefined;

  constructor(
    private readonly links: FailoverLinks,
    readonly addr: string,
    private readonly timings: SentinelFailoverTimings,
  ) {}

  get sliceMs(): number {
    return this.timings.pauseSliceMs;
  }

  /** The pause lapsed (ran out or could not be renewed) before the job released it. */
  get expired(): boolean {
    return this.lapsedAt !== undefined;
  }

  /** ms left before the pause must end (before SENTINEL FAILOVER: the down-after bound). */
  leftMs(now = Date.now()): number {
    return this.endAt - now;
  }

  /** Writers are held now (by the CLIENT PAUSEs answered so far). */
  covering(now = Date.now()): boolean {
    return now < this.coveredUntil;
  }

  private note(now: number): void {
    if (this.holding && this.lapsedAt === undefined && this.coveredUntil > 0 && now >= this.coveredUntil)
      this.lapsedAt = now;
  }

  private async pause(): Promise<void> {
    const sentAt = Date.now();
    this.note(sentAt);
    const left = this.endAt - sentAt;
    if (left <= 0) return;
    const ms = Math.min(this.timings.pauseSliceMs, left);
    await this.links.node(this.addr, 'CLIENT', 'PAUSE', ms, 'WRITE');
    this.coveredUntil = Math.max(this.coveredUntil, sentAt + ms);
  }

  /**
   * One more CLIENT PAUSE. A tick skips it while one is in flight; `chain` (the end moved) sends one right after the
   * one in flight, which was cut to the old end.
   */
  private renew(chain = false): void {
    if (this.inflight && !chain) return;
    const run: Promise<void> = (this.inflight ?? Promise.resolve())
      .then(() => this.pause())
      .catch((err: unknown) => {
        this.lastError = err instanceof Error ? err.message : String(err);
      })
      .finally(() => {
        if (this.inflight === run) this.inflight = undefined;
      });
    this.inflight = run;
  }

  /** Pauses writers (throws when the master refuses: an old version, an ACL, a renamed CLIENT). */
  async start(): Promise<void> {
    this.endAt = Date.now() + this.timings.pauseLimitMs;
    await this.pause();
    this.timer = setInterval(() => this.renew(), Math.max(50, Math.floor(this.timings.pauseSliceMs / 3)));
    this.timer.unref();
  }

  /** SENTINEL FAILOVER was sent: keep writers held until `untilMs` (the failover timeout) unless released first. */
  commit(untilMs: number): void {
    this.endAt = Math.max(this.endAt, untilMs);
    this.renew(true);
  }

  /** The old master is a replica: from now on a lapse loses nothing (it answers READONLY). */
  settled(): void {
    this.note(Date.now());
    this.holding = false;
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * CLIENT UNPAUSE over a connection of its own (Sentinel may have closed the job's), after any renewal in flight
   * (else that renewal could land after the unpause and pause writers again).
   */
  async release(): Promise<void> {
    this.stopTimer();
    this.endAt = 0;
    await this.inflight;
    this.note(Date.now());
    this.holding = false;
    await this.links.nodeOnce(this.addr, 'CLIENT', 'UNPAUSE');
    this.released = true;
  }

  /**
   * Writers unpaused while the job still needed them held (the old master could not be demoted): a lapse, with why.
   * The zero-loss verdict says "not kept" with it.
   */
  async abandon(why: string): Promise<void> {
    if (this.lapsedAt === undefined) this.lapsedAt = Date.now();
    this.endedEarly = why;
    await this.release();
  }
}

export interface CatchUp {
  masterOffset: number;
  replicas: Record<string, number>;
  /** Nodes asked for that answered role:master: not replicas of the master, so not waited for (and not counted). */
  masters: string[];
}

/** "master 1234 · 127.0.0.2:6379 1234 · 127.0.0.3:6379 1200 (34 B behind)". */
export function describeOffsets(
  masterOffset: number | undefined,
  replicas: Record<string, number | undefined>,
  masters: string[] = [],
): string {
  const parts = Object.entries(replicas).map(([addr, offset]) => {
    if (masters.includes(addr))
      return `${addr} answers role:master (not a replica of the master: its offset is its own, not waited for)`;
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
  /** A reason to stop now (the pause near its end, a sentinel calling the master down), checked every round. */
  stop: () => string | undefined = () => undefined,
): Promise<CatchUp> {
  const until = Date.now() + deadlineMs;
  let masterOffset: number | undefined;
  const offsets: Record<string, number | undefined> = Object.fromEntries(replicas.map((r) => [r, undefined]));
  const masters = new Set<string>();
  let lastDetail = '';
  while (true) {
    if (signal.aborted) throw new Error('cancelled by an operator before SENTINEL FAILOVER: nothing was changed');
    const why = stop();
    if (why) throw new Error(why);
    const own = await links.replication(master);
    if (own.role !== 'master') throw new Error(`${master} no longer reports role:master`);
    masterOffset = own.offset;
    await Promise.all(
      replicas.map(async (addr) => {
        const state = await links.replication(addr).catch(() => undefined);
        // A node answering role:master reports its own master_repl_offset, which says nothing of this master's.
        if (state?.role === 'master') masters.add(addr);
        else masters.delete(addr);
        offsets[addr] = state?.offset;
      }),
    );
    const detail = describeOffsets(masterOffset, offsets, [...masters]);
    if (detail !== lastDetail) report(detail);
    lastDetail = detail;
    const mo = masterOffset;
    const waited = replicas.filter((r) => !masters.has(r));
    if (waited.every((r) => (offsets[r] ?? -1) >= mo)) {
      return {
        masterOffset: mo,
        replicas: Object.fromEntries(waited.map((r) => [r, offsets[r] ?? mo])),
        masters: [...masters],
      };
    }
    if (Date.now() >= until)
      throw new Error(`the replicas did not reach the master's offset within ${deadlineMs} ms: ${detail}`);
    await sleep(POLL_MS);
  }
}
