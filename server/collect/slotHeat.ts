import 'server-only';
import {
  type CounterRead,
  counterRates,
  cpuOf,
  type HeatSource,
  type MasterHeatStatus,
  networkOf,
  parseSlotStats,
  slotStatsChunks,
  type TimedCounters,
} from '@/lib/cluster/slotHeat';
import type { MasterHeatValues } from '@/lib/cluster/slotHeatView';
import type { ClusterSnapshot, SnapshotNode } from '@/lib/cluster/types';
import { notPolledOutside } from '@/lib/config/nodeNetworks';
import { aclCommandName, isRefusal, type NotPermitted } from '@/lib/redis/refusal';
import { type SlotRange, slotsInRanges } from '@/lib/redis/slots';
import type { ResolvedCluster } from '../config/load';
import type { NodeConnection } from '../redis/nodeClient';
import { describeNodeError } from './errors';
import { RateBudget } from './rateBudget';

export interface SlotHeatOptions {
  /** CLUSTER SLOT-STATS on each Valkey master this often (its own slots, 512 per command, one command per tick). */
  slotStatsMs: number;
  /** A COUNTKEYSINSLOT sweep of a master's own slots starts this often (at once after one that ran longer). */
  countKeysMs: number;
  /**
   * COUNTKEYSINSLOT per master in any one second, at most. Below that a sweep is paced to end within ~80 % of
   * countKeysMs, so the whole cluster costs about 16384 commands per countKeysMs however many masters share them.
   */
  countKeysPerSecond: number;
  /** A refused SLOT-STATS (Redis, ACL) or COUNTKEYSINSLOT is asked again after this long. */
  retryMs: number;
}

export const SLOT_HEAT_DEFAULTS: SlotHeatOptions = {
  slotStatsMs: 10_000,
  countKeysMs: 5 * 60_000,
  countKeysPerSecond: 100,
  retryMs: 10 * 60_000,
};

const TICK_MS = 100;
/** COUNTKEYSINSLOT per second for a sweep of `slots` slots: spread over ~80 % of the interval, within the bound. */
export function sweepPace(slots: number, options: Pick<SlotHeatOptions, 'countKeysMs' | 'countKeysPerSecond'>): number {
  const spread = Math.ceil(slots / ((options.countKeysMs * 0.8) / 1000));
  return Math.max(1, Math.min(options.countKeysPerSecond, spread));
}

interface MasterState {
  id: string;
  addr: string;
  source: HeatSource | null;
  busy: boolean;
  nextAt: number;
  /** SLOT-STATS refused at: the master is swept with COUNTKEYSINSLOT until retryMs later. */
  slotStatsRefusedAt?: number;
  reads: CounterRead[];
  /** The SLOT-STATS read under way: ranges still to ask, and what came back so far. */
  pending: SlotRange[];
  partial: Map<number, TimedCounters>;
  counts: Map<number, number>;
  countsAt: number | null;
  queue: number[];
  sweepTotal: number;
  budget: RateBudget;
  notPermitted?: NotPermitted;
  slotStatsNotPermitted?: NotPermitted;
  error?: string;
  /** Why the master is not read this tick (outside nodeNetworks, not answering the poll); its last values stay. */
  offline?: string;
}

/** What the sampler reads from its poller: the latest snapshot and the poller's connection to a member. */
export interface HeatSourceAccess {
  latest(): ClusterSnapshot | undefined;
  /** The poller's connection to a member; none outside nodeNetworks. */
  connection(node: SnapshotNode): NodeConnection | undefined;
}

/**
 * Per-slot heat of one cluster on a timer of its own, on the poller's connections (never inside the poll). Valkey 8
 * masters answer CLUSTER SLOT-STATS (key count; CPU and network counters with cluster-slot-stats-enabled); a master
 * refusing it (Redis 7, ACL, renamed) has its own slots counted with COUNTKEYSINSLOT at a bounded rate.
 */
export class SlotHeatSampler {
  private readonly masters = new Map<string, MasterState>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cluster: ResolvedCluster,
    private readonly access: HeatSourceAccess,
    readonly options: SlotHeatOptions = SLOT_HEAT_DEFAULTS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(Date.now()), TICK_MS);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(now: number): void {
    const snapshot = this.access.latest();
    if (!snapshot) return;
    // A master that stops answering keeps its last values (its status says why they are not fresh).
    const current = snapshot.nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
    const ids = new Set(current.map((n) => n.id));
    for (const id of this.masters.keys()) if (!ids.has(id)) this.masters.delete(id);
    for (const node of current) {
      let state = this.masters.get(node.id);
      if (!state || state.addr !== node.addr) {
        state = this.newState(node.id, node.addr);
        this.masters.set(node.id, state);
      }
      state.offline = node.outsideNodeNetworks
        ? notPolledOutside(node.addr)
        : node.reachable
          ? undefined
          : `does not answer the poll${node.error ? ` (${node.error})` : ''}`;
      if (state.offline) continue;
      if (state.busy || !this.due(state, now)) continue;
      const connection = this.access.connection(node);
      if (connection?.redis.status !== 'ready') continue;
      state.busy = true;
      void this.step(state, connection, node.slots, now).finally(() => {
        state.busy = false;
      });
    }
  }

  /**
   * Whether a master has anything to send now: a sweep under way, or its next read due (a SLOT-STATS read, or a sweep
   * to start; a refused SLOT-STATS is tried again when a sweep is due, once retryMs has passed).
   */
  private due(state: MasterState, now: number): boolean {
    return state.queue.length > 0 || state.pending.length > 0 || now >= state.nextAt;
  }

  /** SLOT-STATS first; after a refusal, again only between sweeps once retryMs has passed. */
  private slotStatsTurn(state: MasterState, now: number): boolean {
    return (
      state.slotStatsRefusedAt === undefined ||
      (state.queue.length === 0 && now - state.slotStatsRefusedAt > this.options.retryMs)
    );
  }

  private newState(id: string, addr: string): MasterState {
    return {
      id,
      addr,
      source: null,
      busy: false,
      nextAt: 0,
      reads: [],
      pending: [],
      partial: new Map(),
      counts: new Map(),
      countsAt: null,
      queue: [],
      sweepTotal: 0,
      budget: new RateBudget(this.options.countKeysPerSecond, 1000),
    };
  }

  private async step(
    state: MasterState,
    connection: NodeConnection,
    ranges: readonly SlotRange[],
    now: number,
  ): Promise<void> {
    const retrySlotStats = this.slotStatsTurn(state, now);
    try {
      if (retrySlotStats) await this.readSlotStats(state, connection, ranges, now);
      else await this.countKeys(state, connection, now);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isRefusal(message)) {
        const args = retrySlotStats ? ['cluster', 'slot-stats'] : ['cluster', 'countkeysinslot'];
        if (retrySlotStats) {
          state.slotStatsRefusedAt = now;
          state.pending = [];
          if (state.source !== 'countkeysinslot') state.nextAt = 0;
          state.reads = [];
          // An ACL refusal is said (key counts come the slow way); Redis's "unknown subcommand" is just Redis.
          state.slotStatsNotPermitted = /NOPERM/.test(message)
            ? { user: this.cluster.username ?? 'default', command: aclCommandName(args) }
            : undefined;
        } else {
          state.notPermitted = { user: this.cluster.username ?? 'default', command: aclCommandName(args) };
          state.queue = [];
          state.nextAt = now + this.options.retryMs;
        }
        return;
      }
      state.error = describeNodeError(err, this.cluster.password ? [this.cluster.password] : []);
      // A failed read or sweep is abandoned (a sweep's counts so far kept) and started again a little later.
      state.queue = [];
      state.pending = [];
      state.nextAt = now + this.options.slotStatsMs;
    }
  }

  /** One part of a read of the master's slots (the reference view's ranges; the node answers for its own only). */
  private async readSlotStats(
    state: MasterState,
    connection: NodeConnection,
    ranges: readonly SlotRange[],
    now: number,
  ): Promise<void> {
    if (state.pending.length === 0) {
      if (now < state.nextAt) return;
      state.nextAt = now + this.options.slotStatsMs;
      state.pending = slotStatsChunks(ranges);
      state.partial = new Map();
    }
    const chunk = state.pending.shift();
    if (!chunk) return;
    const reply = await connection.call('CLUSTER', 'SLOT-STATS', 'SLOTSRANGE', String(chunk[0]), String(chunk[1]));
    const at = Date.now();
    for (const [slot, counters] of parseSlotStats(reply)) state.partial.set(slot, { ...counters, at });
    state.slotStatsRefusedAt = undefined;
    state.slotStatsNotPermitted = undefined;
    state.source = 'slot-stats';
    state.error = undefined;
    state.notPermitted = undefined;
    if (state.pending.length > 0) return;
    state.reads = [...state.reads.slice(-1), { at, slots: state.partial }];
    state.partial = new Map();
  }

  /** One batch of a sweep over the master's own slots (its own CLUSTER NODES view), within the rate budget. */
  private async countKeys(state: MasterState, connection: NodeConnection, now: number): Promise<void> {
    if (this.options.countKeysMs <= 0) {
      state.error = 'key counts are not swept on this cluster (clusters[].slotHeatSweepMinutes is 0)';
      return;
    }
    if (state.queue.length === 0) {
      if (now < state.nextAt) return;
      state.nextAt = now + this.options.countKeysMs;
      // The master's own slots as the last poll read them from its own view (no CLUSTER NODES of its own: 500 masters
      // starting a sweep at once would parse 500 views of 1,000 lines in one tick).
      const node = this.access.latest()?.nodes.find((n) => n.id === state.id);
      const own = node?.role === 'master' ? slotsInRanges(node.slots) : [];
      const ownSet = new Set(own);
      for (const slot of state.counts.keys()) if (!ownSet.has(slot)) state.counts.delete(slot);
      state.queue = own;
      state.sweepTotal = own.length;
      state.budget = new RateBudget(sweepPace(own.length, this.options), 1000);
      state.source = 'countkeysinslot';
      state.reads = [];
      if (own.length === 0) state.countsAt = Date.now();
      return;
    }
    const batch = state.queue.splice(0, state.budget.take(now, Math.ceil(state.budget.limit / (1000 / TICK_MS))));
    if (batch.length === 0) return;
    const replies = await Promise.all(batch.map((slot) => connection.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))));
    batch.forEach((slot, i) => {
      state.counts.set(slot, Number(replies[i]));
    });
    state.error = undefined;
    state.notPermitted = undefined;
    if (state.queue.length === 0) state.countsAt = Date.now();
  }

  /** Each master's values per metric (keys: levels; cpu, network: rates between its last two SLOT-STATS reads). */
  values(): MasterHeatValues[] {
    return [...this.masters.values()].map((state) => {
      const owner = { id: state.id, addr: state.addr };
      const metrics: MasterHeatValues['metrics'] = {};
      const [previous, last] = state.reads.length === 2 ? state.reads : [undefined, state.reads[0]];
      if (state.source === 'slot-stats' && last) {
        metrics.keys = { at: last.at, values: new Map([...last.slots].map(([s, c]) => [s, c.keyCount])) };
        if (previous) {
          const cpu = counterRates(previous, last, cpuOf);
          const network = counterRates(previous, last, networkOf);
          if (cpu.size) metrics.cpu = { at: last.at, values: cpu };
          if (network.size) metrics.network = { at: last.at, values: network };
        }
      } else if (state.source === 'countkeysinslot' && state.counts.size) {
        metrics.keys = { at: state.countsAt ?? Date.now(), values: state.counts };
      }
      return { owner, source: state.source, metrics };
    });
  }

  status(): MasterHeatStatus[] {
    return [...this.masters.values()].map((state) => {
      const last = state.reads.at(-1);
      const countersOff =
        state.source === 'slot-stats' && last && [...last.slots.values()].every((c) => c.cpuUsec === undefined);
      const withCounters = state.source === 'slot-stats' && state.reads.length === 2 && !countersOff;
      return {
        nodeId: state.id,
        addr: state.addr,
        source: state.source,
        readAt: state.source === 'slot-stats' ? (last?.at ?? null) : state.countsAt,
        ...(withCounters && last ? { ratesAt: last.at } : {}),
        ...(state.queue.length
          ? { sweep: { read: state.sweepTotal - state.queue.length, total: state.sweepTotal } }
          : {}),
        ...(countersOff && last.slots.size ? { slotStatsCountersOff: true as const } : {}),
        ...(state.notPermitted ? { notPermitted: state.notPermitted } : {}),
        ...(state.slotStatsNotPermitted ? { slotStatsNotPermitted: state.slotStatsNotPermitted } : {}),
        ...(state.offline || state.error ? { error: state.offline ?? state.error } : {}),
      };
    });
  }
}
