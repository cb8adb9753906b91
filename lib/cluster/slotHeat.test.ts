import { describe, expect, it } from 'vitest';
import { SLOT_COUNT } from '../redis/slots';
import {
  counterRates,
  cpuOf,
  networkOf,
  parseSlotStats,
  type SlotCounters,
  slotStatsChunks,
  topSlots,
} from './slotHeat';
import { metricHeat } from './slotHeatView';

// As valkey-server 8.0.1 answers CLUSTER SLOT-STATS SLOTSRANGE (RESP2), with and without cluster-slot-stats-enabled.
const enabledReply = [
  [6093, ['key-count', 20, 'cpu-usec', 395, 'network-bytes-in', 671, 'network-bytes-out', 100]],
  [15495, ['key-count', 1, 'cpu-usec', 121, 'network-bytes-in', 27, 'network-bytes-out', 5]],
];
const disabledReply = [
  [0, ['key-count', 0]],
  [1, ['key-count', 3]],
];

/** A read whose slots were all read at `at`. */
const read = (at: number, entries: Array<[number, SlotCounters]>) => ({
  at,
  slots: new Map(entries.map(([slot, c]) => [slot, { ...c, at }])),
});

describe('parseSlotStats', () => {
  it('reads every counter of an enabled node', () => {
    const slots = parseSlotStats(enabledReply);
    expect(slots.get(6093)).toEqual({ keyCount: 20, cpuUsec: 395, networkBytesIn: 671, networkBytesOut: 100 });
    expect(slots.size).toBe(2);
  });

  it('reads key counts only when the counters are off', () => {
    const slots = parseSlotStats(disabledReply);
    expect(slots.get(1)).toEqual({ keyCount: 3 });
    expect(cpuOf({ keyCount: 3 })).toBeUndefined();
    expect(networkOf({ keyCount: 3 })).toBeUndefined();
  });

  it('refuses a reply of another shape', () => {
    expect(() => parseSlotStats('OK')).toThrow(/not an array/);
    expect(() => parseSlotStats([[1, 2]])).toThrow(/unexpected entry/);
  });
});

describe('slotStatsChunks', () => {
  it('cuts the ranges of a master into SLOTSRANGE arguments of at most 512 slots', () => {
    expect(slotStatsChunks([[0, 5460]])).toHaveLength(11);
    expect(
      slotStatsChunks([
        [0, 1023],
        [2000, 2000],
      ]),
    ).toEqual([
      [0, 511],
      [512, 1023],
      [2000, 2000],
    ]);
    expect(slotStatsChunks([])).toEqual([]);
  });
});

describe('counterRates', () => {
  it('is the growth per second between two reads', () => {
    const previous = read(10_000, [[5, { keyCount: 1, cpuUsec: 1000, networkBytesIn: 10, networkBytesOut: 5 }]]);
    const current = read(12_000, [[5, { keyCount: 1, cpuUsec: 5000, networkBytesIn: 410, networkBytesOut: 205 }]]);
    expect(counterRates(previous, current, cpuOf).get(5)).toBe(2000);
    expect(counterRates(previous, current, networkOf).get(5)).toBe(300);
  });

  it('leaves out a slot whose counter shrank (reset, restart) or that was not read before (imported)', () => {
    const previous = read(0, [[1, { keyCount: 0, cpuUsec: 900 }]]);
    const current = read(1000, [
      [1, { keyCount: 0, cpuUsec: 10 }],
      [2, { keyCount: 0, cpuUsec: 50 }],
    ]);
    expect([...counterRates(previous, current, cpuOf)]).toEqual([]);
  });

  it('gives nothing for two reads at the same instant, or with the counters off', () => {
    const once = read(5, [[1, { keyCount: 2, cpuUsec: 1 }]]);
    expect(counterRates(once, once, cpuOf).size).toBe(0);
    const off = read(9, [[1, { keyCount: 2 }]]);
    expect(counterRates(once, off, cpuOf).size).toBe(0);
  });

  it('divides each slot by its own interval: the parts of a read come back at different times', () => {
    const previous = {
      at: 2000,
      slots: new Map([
        [1, { keyCount: 0, cpuUsec: 0, at: 1000 }],
        [2, { keyCount: 0, cpuUsec: 0, at: 2000 }],
      ]),
    };
    const current = {
      at: 4000,
      slots: new Map([
        [1, { keyCount: 0, cpuUsec: 300, at: 4000 }],
        [2, { keyCount: 0, cpuUsec: 300, at: 3000 }],
      ]),
    };
    expect([...counterRates(previous, current, cpuOf)]).toEqual([
      [1, 100],
      [2, 300],
    ]);
  });
});

describe('topSlots', () => {
  const owner = { id: 'a'.repeat(40), addr: '127.0.0.1:7000' };
  it('orders by value, ties by slot number, leaves zeros and unknowns out, and gives each its share', () => {
    const values: Array<number | null> = new Array(SLOT_COUNT).fill(0);
    values[300] = 5;
    values[100] = 5;
    values[9000] = 10;
    values[7] = null;
    const top = topSlots(values, new Array(SLOT_COUNT).fill(owner), 20);
    expect(top.map((t) => t.slot)).toEqual([9000, 100, 300]);
    expect(top[0]?.share).toBe(0.5);
    expect(top[1]?.owner).toEqual(owner);
  });

  it('keeps n, cutting ties at the higher slot numbers', () => {
    const values = new Array(SLOT_COUNT).fill(1);
    const top = topSlots(values, new Array(SLOT_COUNT).fill(owner), 20);
    expect(top.map((t) => t.slot)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(top[0]?.share).toBeCloseTo(1 / SLOT_COUNT);
  });
});

describe('metricHeat', () => {
  const a = { id: 'a'.repeat(40), addr: '127.0.0.1:7000' };
  const b = { id: 'b'.repeat(40), addr: '127.0.0.1:7001' };
  it('merges the masters, the reference owner winning a slot both report, and dates it by the oldest read', () => {
    const heat = metricHeat(
      'keys',
      [
        {
          owner: a,
          source: 'slot-stats',
          metrics: {
            keys: {
              at: 2000,
              values: new Map([
                [1, 7],
                [2, 4],
              ]),
            },
          },
        },
        {
          owner: b,
          source: 'countkeysinslot',
          metrics: {
            keys: {
              at: 1000,
              values: new Map([
                [2, 9],
                [3, 1],
              ]),
            },
          },
        },
      ],
      (slot) => (slot === 2 ? a.id : undefined),
    );
    expect(heat.values.slice(0, 5)).toEqual([null, 7, 4, 1, null]);
    expect(heat.top.map((t) => [t.slot, t.owner.id])).toEqual([
      [1, a.id],
      [2, a.id],
      [3, b.id],
    ]);
    expect(heat.sources).toEqual(['countkeysinslot', 'slot-stats']);
    expect(heat.readAt).toBe(1000);
    expect(heat.total).toBe(12);
  });

  it('is unavailable before any read', () => {
    const heat = metricHeat('cpu', [{ owner: a, source: 'slot-stats', metrics: {} }], () => undefined, 'off');
    expect(heat).toMatchObject({ available: false, readAt: null, note: 'off', top: [] });
  });
});
