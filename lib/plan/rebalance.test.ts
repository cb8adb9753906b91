import { describe, expect, it } from 'vitest';
import type { SlotRange } from '../redis/slots';
import { drainPlan, planRebalance, type RebalancePlan } from './rebalance';
import { PlanError, type PlanNode } from './reshard';

const id = (c: string) => c.repeat(40);
const A = id('a');
const B = id('b');
const C = id('c');
const D = id('d');
const R = id('e');

const range = (start: number, end: number) => Array.from({ length: end - start + 1 }, (_, i) => start + i);

/** Masters A..D holding the given counts as contiguous ranges from slot 0 (0 = no slots), and a replica of A. */
function cluster(counts: number[]): PlanNode[] {
  let next = 0;
  const nodes: PlanNode[] = counts.map((count, i) => {
    const slots: SlotRange[] = count > 0 ? [[next, next + count - 1]] : [];
    next += count;
    return { id: [A, B, C, D][i] ?? '', role: 'master', slots };
  });
  nodes.push({ id: R, role: 'replica', slots: [] });
  return nodes;
}

const summary = (plan: RebalancePlan) => plan.moves.map((m) => [m.from[0], m.to[0], m.slots.length]);
const slotsAfter = (plan: RebalancePlan) =>
  Object.fromEntries(Object.entries(plan.after).map(([k, v]) => [k[0], v.slots]));

describe('planRebalance by slots (redis-cli)', () => {
  it('moves nothing when every master is within the threshold, and says why', () => {
    const plan = planRebalance({ nodes: cluster([4100, 4090, 4100, 4094]) });
    expect(plan.moves).toEqual([]);
    expect(plan.reason).toBe('every master is within 2% of its expected slots');
    expect(plan.after).toEqual(plan.before);
  });

  it('opens the gate on one master over the threshold, and a custom threshold can keep it shut', () => {
    // A: |100 - 100 * 4096 / 4300| = 4.74 %.
    const nodes = cluster([4300, 4000, 4084, 4000]);
    expect(planRebalance({ nodes }).moves.length).toBeGreaterThan(0);
    expect(planRebalance({ nodes }, { threshold: 5 }).moves).toEqual([]);
    expect(planRebalance({ nodes }, { threshold: 4.5 }).moves.length).toBeGreaterThan(0);
  });

  it('never moves with a threshold of 0 (redis-cli only weighs errors when threshold > 0)', () => {
    const plan = planRebalance({ nodes: cluster([8000, 4000, 3000, 1384]) }, { threshold: 0 });
    expect(plan.moves).toEqual([]);
    expect(plan.reason).toMatch(/threshold of 0/);
  });

  it('pairs the most negative balance with the most positive, lowest slots of the source first', () => {
    const plan = planRebalance({ nodes: cluster([8000, 4000, 3000, 1384]) });
    // Balances: A +3904, B -96, C -1096, D -2712.
    expect(summary(plan)).toEqual([
      ['a', 'd', 2712],
      ['a', 'c', 1096],
      ['a', 'b', 96],
    ]);
    expect(plan.moves[0]?.slots).toEqual(range(0, 2711));
    expect(plan.moves[1]?.slots).toEqual(range(2712, 3807));
    expect(plan.moves[2]?.slots).toEqual(range(3808, 3903));
    expect(slotsAfter(plan)).toEqual({ a: 4096, b: 4096, c: 4096, d: 4096 });
    expect(plan.before[A]).toEqual({ slots: 8000 });
    expect(plan.before[R]).toBeUndefined();
  });

  it('keeps the input order between equal balances (a stable sort, as glibc qsort)', () => {
    const plan = planRebalance({ nodes: cluster([7384, 3000, 3000, 3000]) });
    expect(summary(plan)).toEqual([
      ['a', 'b', 1096],
      ['a', 'c', 1096],
      ['a', 'd', 1096],
    ]);
    const reordered = cluster([7384, 3000, 3000, 3000]);
    const [a, b, c, d, r] = reordered;
    if (!a || !b || !c || !d || !r) throw new Error('nodes');
    expect(summary(planRebalance({ nodes: [a, d, c, b, r] }))).toEqual([
      ['a', 'd', 1096],
      ['a', 'c', 1096],
      ['a', 'b', 1096],
    ]);
  });

  it('weighs masters: expected = (int)(16384 / total weight * weight) in C float', () => {
    const plan = planRebalance({ nodes: cluster([4096, 4096, 4096, 4096]) }, { weights: { [A]: 2, [B]: 2 } });
    // 16384 / 6 * 2 = 5461.33 -> 5461 for A and B, 2730 for C and D; balances -1365, -1365, +1366, +1366: 2 slots
    // over, taken by A then B (the first with balance <= 0), so A and B receive 1366 each.
    expect(slotsAfter(plan)).toEqual({ a: 5462, b: 5462, c: 2730, d: 2730 });
    expect(summary(plan)).toEqual([
      ['d', 'a', 1366],
      ['c', 'b', 1366],
    ]);
  });

  it('hands the rounding leftover to the first masters in list order with balance <= 0', () => {
    // D has no slots and is left out: 16384 / 3 = 5461 expected, 1 slot over. Balances A 0, B +539, C -538.
    const plan = planRebalance({ nodes: cluster([5461, 6000, 4923, 0]) });
    expect(summary(plan)).toEqual([
      ['b', 'c', 538],
      ['b', 'a', 1],
    ]);
    expect(slotsAfter(plan)).toEqual({ a: 5462, b: 5461, c: 5461 });
  });

  it('leaves masters without slots out unless useEmptyMasters', () => {
    const nodes = cluster([6000, 5384, 5000, 0]);
    const without = planRebalance({ nodes });
    expect(Object.keys(without.after)).toEqual([A, B, C]);
    expect(without.moves.some((m) => m.to === D)).toBe(false);
    const withEmpty = planRebalance({ nodes }, { useEmptyMasters: true });
    expect(slotsAfter(withEmpty)).toEqual({ a: 4096, b: 4096, c: 4096, d: 4096 });
    expect(withEmpty.moves[0]).toMatchObject({ from: A, to: D });
  });

  it('gives slots to an empty master only when it expects more than 1 slot (the gate)', () => {
    // 5 masters but only slots enough to be balanced among 4: with useEmptyMasters the empty one opens the gate.
    const nodes = cluster([4096, 4096, 4096, 4096]);
    nodes.push({ id: id('f'), role: 'master', slots: [] });
    expect(planRebalance({ nodes }).moves).toEqual([]);
    expect(planRebalance({ nodes }, { useEmptyMasters: true }).moves.length).toBe(4);
  });

  it('ignores replicas', () => {
    const nodes = cluster([8000, 4000, 3000, 1384]);
    const withoutReplica = nodes.filter((n) => n.role === 'master');
    expect(planRebalance({ nodes })).toEqual(planRebalance({ nodes: withoutReplica }));
  });
});

describe('drainPlan', () => {
  it("moves every slot of the node to the others, redis-cli's way (weight 0)", () => {
    const plan = drainPlan({ nodes: cluster([4096, 4096, 4096, 4096]) }, A);
    expect(slotsAfter(plan)).toEqual({ a: 0, b: 5462, c: 5461, d: 5461 });
    expect(plan.moves.every((m) => m.from === A)).toBe(true);
    expect(plan.moves.flatMap((m) => m.slots).sort((x, y) => x - y)).toEqual(range(0, 4095));
  });

  it('keeps the weights of the others', () => {
    const plan = drainPlan({ nodes: cluster([4096, 4096, 4096, 4096]) }, D, { [A]: 2 });
    expect(slotsAfter(plan)).toEqual({ a: 8192, b: 4096, c: 4096, d: 0 });
  });

  it('refuses a node that is not a master, unknown, or without slots', () => {
    const nodes = cluster([8192, 8192, 0]);
    expect(() => drainPlan({ nodes }, R)).toThrow(/not a master/);
    expect(() => drainPlan({ nodes }, id('9'))).toThrow(/not a node of this cluster/);
    expect(() => drainPlan({ nodes }, C)).toThrow(/no slots to drain/);
  });

  it('refuses when no other master can take the slots', () => {
    const nodes: PlanNode[] = [
      { id: A, role: 'master', slots: [[0, 16383]] },
      { id: B, role: 'master', slots: [] },
    ];
    expect(() => drainPlan({ nodes }, A)).toThrow(PlanError);
  });
});

describe('planRebalance by keys / memory (ours)', () => {
  /** A holds 64% of the keys: 6 slots of 3000 keys; every other slot has 1 key. */
  function skewed() {
    const nodes = cluster([4096, 4096, 4096, 4096]);
    const keysBySlot = new Map<number, number>();
    for (let s = 0; s < 16384; s++) keysBySlot.set(s, s < 6 ? 3000 : 1);
    return { nodes, keysBySlot };
  }

  it('gets every master within the threshold of its share of keys, moving each slot once', () => {
    const input = skewed();
    const plan = planRebalance(input, { by: 'keys' });
    const total = 6 * 3000 + 16384 - 6;
    expect((plan.before[A]?.keys ?? 0) / total).toBeGreaterThan(0.6);
    for (const load of Object.values(plan.after)) {
      expect(Math.abs((load.keys ?? 0) - total / 4)).toBeLessThanOrEqual((total / 4) * 0.02);
    }
    const moved = plan.moves.flatMap((m) => m.slots);
    expect(new Set(moved).size).toBe(moved.length);
    for (const m of plan.moves) expect(m.slots).toEqual([...m.slots].sort((x, y) => x - y));
    expect(plan.reason).toBeUndefined();
    // Deterministic.
    expect(planRebalance(skewed(), { by: 'keys' })).toEqual(plan);
  });

  it('respects weights and a tighter threshold', () => {
    const plan = planRebalance(skewed(), { by: 'keys', weights: { [B]: 2 }, threshold: 1 });
    const total = 6 * 3000 + 16384 - 6;
    const expected: Record<string, number> = { [A]: total / 5, [B]: (2 * total) / 5, [C]: total / 5, [D]: total / 5 };
    for (const [node, load] of Object.entries(plan.after)) {
      const share = expected[node] ?? 0;
      expect(Math.abs((load.keys ?? 0) - share)).toBeLessThanOrEqual(share * 0.01);
    }
  });

  it('balances bytes with bytesBySlot, and reports slots and bytes', () => {
    const nodes = cluster([4096, 4096, 4096, 4096]);
    const bytesBySlot = new Map<number, number>();
    for (let s = 0; s < 16384; s++) bytesBySlot.set(s, s >= 12288 ? 4096 : 1024);
    const plan = planRebalance({ nodes, bytesBySlot }, { by: 'memory' });
    const total = 12288 * 1024 + 4096 * 4096;
    for (const load of Object.values(plan.after)) {
      expect(Math.abs((load.bytes ?? 0) - total / 4)).toBeLessThanOrEqual((total / 4) * 0.02);
      expect(load.keys).toBeUndefined();
    }
    expect(plan.moves.every((m) => m.from === D)).toBe(true);
    expect(Object.values(plan.after).reduce((n, l) => n + l.slots, 0)).toBe(16384);
  });

  it('moves nothing when the load is within the threshold', () => {
    const keysBySlot = new Map<number, number>();
    for (let s = 0; s < 16384; s++) keysBySlot.set(s, 10);
    const plan = planRebalance({ nodes: cluster([4100, 4090, 4100, 4094]), keysBySlot }, { by: 'keys' });
    expect(plan.moves).toEqual([]);
    expect(plan.reason).toBe('every master is within 2% of its expected keys');
    expect(plan.before[A]).toEqual({ slots: 4100, keys: 41000 });
  });

  it('says so when no single slot can bring a master closer', () => {
    const keysBySlot = new Map([[0, 1000]]);
    const plan = planRebalance({ nodes: cluster([4096, 4096, 4096, 4096]), keysBySlot }, { by: 'keys' });
    expect(plan.moves).toEqual([]);
    expect(plan.reason).toMatch(
      /no single slot move brings aaaaaaaa, bbbbbbbb, cccccccc, dddddddd closer to the expected keys/,
    );
  });

  it('needs the per slot numbers', () => {
    expect(() => planRebalance({ nodes: cluster([8192, 8192]) }, { by: 'keys' })).toThrow(/key count of each slot/);
    expect(() => planRebalance({ nodes: cluster([8192, 8192]) }, { by: 'memory' })).toThrow(/bytes of each slot/);
  });
});

describe('bad input', () => {
  const nodes = cluster([8000, 4000, 3000, 1384]);
  it('refuses a weight for an unknown node or a replica', () => {
    expect(() => planRebalance({ nodes }, { weights: { [id('9')]: 1 } })).toThrow(PlanError);
    expect(() => planRebalance({ nodes }, { weights: { [id('9')]: 1 } })).toThrow(
      'weight given for 99999999, which is not a node of this cluster',
    );
    expect(() => planRebalance({ nodes }, { weights: { [R]: 1 } })).toThrow(/not a master/);
  });

  it('refuses a negative or non-numeric weight, a negative threshold, and all weights 0', () => {
    expect(() => planRebalance({ nodes }, { weights: { [A]: -1 } })).toThrow(/must be a number ≥ 0, not -1/);
    expect(() => planRebalance({ nodes }, { weights: { [A]: Number.NaN } })).toThrow(PlanError);
    expect(() => planRebalance({ nodes }, { threshold: -1 })).toThrow(/threshold/);
    expect(() => planRebalance({ nodes }, { weights: { [A]: 0, [B]: 0, [C]: 0, [D]: 0 } })).toThrow(/weighs 0/);
  });

  it('refuses a cluster with unowned or doubly owned slots', () => {
    expect(() => planRebalance({ nodes: cluster([8000, 4000]) })).toThrow(/4384 slots have no owner/);
    const doubled: PlanNode[] = [...cluster([8192, 8192]), { id: C, role: 'master', slots: [[5, 5]] }];
    expect(() => planRebalance({ nodes: doubled })).toThrow(/slot 5 is claimed by/);
  });
});
