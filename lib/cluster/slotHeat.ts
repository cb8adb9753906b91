import { z } from 'zod';
import type { NotPermitted } from '../redis/refusal';
import { SLOT_COUNT, type SlotRange } from '../redis/slots';

/** What the slot map can colour slots by: their owner, or one heat metric. */
export const SlotMapMode = z.enum(['ownership', 'keys', 'cpu', 'network']);
export type SlotMapMode = z.infer<typeof SlotMapMode>;

/** The heat metrics: keys held (a level), CPU time and network bytes (rates between two reads of counters). */
export const HeatMetric = z.enum(['keys', 'cpu', 'network']);
export type HeatMetric = z.infer<typeof HeatMetric>;

/** Where a master's heat came from: Valkey's CLUSTER SLOT-STATS, or CLUSTER COUNTKEYSINSLOT sampled slot by slot. */
export type HeatSource = 'slot-stats' | 'countkeysinslot';

export const HEAT_UNITS: Record<HeatMetric, string> = { keys: 'keys', cpu: 'µs CPU/s', network: 'B/s' };

/** One slot's line of CLUSTER SLOT-STATS; cpu and network only while cluster-slot-stats-enabled is yes. */
export interface SlotCounters {
  keyCount: number;
  cpuUsec?: number;
  networkBytesIn?: number;
  networkBytesOut?: number;
}

const FIELD: Record<string, keyof SlotCounters> = {
  'key-count': 'keyCount',
  'cpu-usec': 'cpuUsec',
  'network-bytes-in': 'networkBytesIn',
  'network-bytes-out': 'networkBytesOut',
};

/**
 * CLUSTER SLOT-STATS (RESP2): `[[slot, ['key-count', n, 'cpu-usec', n, ...]], ...]`, one entry per slot of the
 * node's shard. Unknown fields (later Valkey versions) are skipped. Throws on a reply of another shape.
 */
export function parseSlotStats(reply: unknown): Map<number, SlotCounters> {
  if (!Array.isArray(reply)) throw new Error('CLUSTER SLOT-STATS: not an array');
  const slots = new Map<number, SlotCounters>();
  for (const entry of reply) {
    if (!Array.isArray(entry) || entry.length !== 2 || !Array.isArray(entry[1]))
      throw new Error('CLUSTER SLOT-STATS: unexpected entry');
    const slot = Number(entry[0]);
    const counters: SlotCounters = { keyCount: 0 };
    const fields: unknown[] = entry[1];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const name = FIELD[String(fields[i]).toLowerCase()];
      if (name) counters[name] = Number(fields[i + 1]);
    }
    if (Number.isInteger(slot) && slot >= 0 && slot < SLOT_COUNT) slots.set(slot, counters);
  }
  return slots;
}

/** A slot's counters with when they were read (a read of a master's slots is spread over several commands). */
export interface TimedCounters extends SlotCounters {
  at: number;
}

/**
 * Slots per CLUSTER SLOT-STATS command, one command per master per tick: 16,384 slots in one reply took ~200 ms to
 * come back and parse on a loaded 2-core machine (holding up the poll's replies on the same connection); 512 take a
 * few ms. A master's read is spread over ceil(own slots / 512) ticks.
 */
const SLOT_STATS_CHUNK = 512;

/** A master's slot ranges cut into SLOTSRANGE arguments of at most `size` slots. */
export function slotStatsChunks(ranges: readonly SlotRange[], size = SLOT_STATS_CHUNK): SlotRange[] {
  const chunks: SlotRange[] = [];
  for (const [start, end] of ranges)
    for (let from = start; from <= end; from += size) chunks.push([from, Math.min(end, from + size - 1)]);
  return chunks;
}

/** One complete read of a master's slots: `at` when its last part came back. */
export type CounterRead = { at: number; slots: Map<number, TimedCounters> };

/** Per slot, the counter's growth per second between two reads of one node; none where it shrank (reset, moved). */
export function counterRates(
  previous: CounterRead,
  current: CounterRead,
  counter: (c: SlotCounters) => number | undefined,
): Map<number, number> {
  const rates = new Map<number, number>();
  for (const [slot, now] of current.slots) {
    const before = previous.slots.get(slot);
    if (!before) continue;
    const seconds = (now.at - before.at) / 1000;
    const a = counter(before);
    const b = counter(now);
    if (seconds <= 0 || a === undefined || b === undefined || b < a) continue;
    rates.set(slot, (b - a) / seconds);
  }
  return rates;
}

export const cpuOf = (c: SlotCounters) => c.cpuUsec;
export const networkOf = (c: SlotCounters) =>
  c.networkBytesIn === undefined || c.networkBytesOut === undefined ? undefined : c.networkBytesIn + c.networkBytesOut;

export interface HeatOwner {
  id: string;
  addr: string;
}

export interface HotSlot {
  slot: number;
  value: number;
  /** value / the metric's total over every slot read, 0..1. */
  share: number;
  owner: HeatOwner;
}

/** The n hottest slots: highest value first, ties by lower slot number (as SLOT-STATS ORDERBY); zeros left out. */
export function topSlots(values: ArrayLike<number | null>, owners: ArrayLike<HeatOwner | null>, n: number): HotSlot[] {
  let total = 0;
  const candidates: number[] = [];
  for (let slot = 0; slot < values.length; slot++) {
    const v = values[slot];
    if (v === null || v === undefined || v <= 0) continue;
    total += v;
    candidates.push(slot);
  }
  candidates.sort((a, b) => (values[b] ?? 0) - (values[a] ?? 0) || a - b);
  const top: HotSlot[] = [];
  for (const slot of candidates) {
    if (top.length >= n) break;
    const owner = owners[slot];
    const value = values[slot] ?? 0;
    if (owner) top.push({ slot, value, share: total > 0 ? value / total : 0, owner });
  }
  return top;
}

/** One metric across the cluster: a value per slot (null = not read), the hottest slots, and whether it is known. */
export interface MetricHeat {
  metric: HeatMetric;
  unit: string;
  available: boolean;
  /** Why the metric is missing or partial (e.g. cluster-slot-stats-enabled is no). */
  note?: string;
  /** Sources of the masters that fed it. */
  sources: HeatSource[];
  /** The oldest of the masters' reads behind these values (ms since epoch), null before any. */
  readAt: number | null;
  /** SLOT_COUNT entries; null where the slot was not read (yet) or has no owner. Empty unless asked for (?values=). */
  values: Array<number | null>;
  total: number;
  top: HotSlot[];
}

/** One master's part: how its heat is read, when, and what went wrong. */
export interface MasterHeatStatus {
  nodeId: string;
  addr: string;
  source: HeatSource | null;
  /** Last complete read: one SLOT-STATS reply, or one COUNTKEYSINSLOT sweep over the master's own slots. */
  readAt: number | null;
  /** The later of the two SLOT-STATS reads CPU and network rates come from; absent before two reads with counters. */
  ratesAt?: number;
  /** A COUNTKEYSINSLOT sweep under way: slots read of the master's own. */
  sweep?: { read: number; total: number };
  /** cluster-slot-stats-enabled is off on this Valkey node: key counts only. */
  slotStatsCountersOff?: true;
  notPermitted?: NotPermitted;
  /** CLUSTER SLOT-STATS refused by the ACL: keys are counted with COUNTKEYSINSLOT, CPU and network are not known. */
  slotStatsNotPermitted?: NotPermitted;
  error?: string;
}

/** GET /api/clusters/{id}/slots/heat. */
export interface SlotHeatResponse {
  clusterId: string;
  metrics: Record<HeatMetric, MetricHeat>;
  masters: MasterHeatStatus[];
  /** How the heat is read: SLOT-STATS every slotStatsMs; COUNTKEYSINSLOT sweeps every countKeysMs at a bounded rate. */
  sampling: { slotStatsMs: number; countKeysMs: number; countKeysPerSecond: number };
}

export const HOT_SLOTS = 20;

/** GET /slots/heat?values=…: whose per-slot values to send (the hot slots and availability come for every metric). */
export const SlotHeatQuery = z.strictObject({
  values: z.enum(['all', 'none', ...HeatMetric.options]).default('all'),
});
export type SlotHeatQuery = z.infer<typeof SlotHeatQuery>;
