import { describe, expect, it } from 'vitest';
import { PlanError, type PlanNode, planReshard, redisCliReshardTable } from './reshard';

const id = (c: string) => c.repeat(40);
const A = id('a');
const B = id('b');
const C = id('c');
const D = id('d');
const R = id('e');

/** Three masters with redis-cli create's split, an empty master and a replica. */
const nodes: PlanNode[] = [
  { id: A, role: 'master', slots: [[0, 5460]] },
  { id: B, role: 'master', slots: [[5461, 10922]] },
  { id: C, role: 'master', slots: [[10923, 16383]] },
  { id: D, role: 'master', slots: [] },
  { id: R, role: 'replica', slots: [] },
];

const range = (start: number, end: number) => Array.from({ length: end - start + 1 }, (_, i) => start + i);

describe('redisCliReshardTable', () => {
  it('takes a proportional share from each source, the largest first rounded up, lowest slots first', () => {
    const moves = redisCliReshardTable(
      [
        { nodeId: A, slots: range(0, 99) },
        { nodeId: B, slots: range(100, 399) },
        { nodeId: C, slots: range(400, 599) },
      ],
      61,
    );
    // B (300 slots) first: ceil(61/600*300 = 30.5) = 31; then C (200): floor(20.33) = 20; A (100): floor(10.17) = 10.
    expect(moves.filter((m) => m.sourceId === B).map((m) => m.slot)).toEqual(range(100, 130));
    expect(moves.filter((m) => m.sourceId === C).map((m) => m.slot)).toEqual(range(400, 419));
    expect(moves.filter((m) => m.sourceId === A).map((m) => m.slot)).toEqual(range(0, 9));
    expect(moves.map((m) => m.sourceId).slice(0, 1)).toEqual([B]);
    expect(moves).toHaveLength(61);
  });

  it('keeps the given order between sources with as many slots (a stable sort, as glibc qsort)', () => {
    const moves = redisCliReshardTable(
      [
        { nodeId: C, slots: range(200, 299) },
        { nodeId: A, slots: range(0, 99) },
      ],
      51,
    );
    expect(moves[0]).toEqual({ slot: 200, sourceId: C });
    expect(moves.filter((m) => m.sourceId === C)).toHaveLength(26);
    expect(moves.filter((m) => m.sourceId === A)).toHaveLength(25);
  });

  it('never plans more than asked, and fewer when the floors leave some out (as redis-cli)', () => {
    const three = [
      { nodeId: A, slots: range(0, 9) },
      { nodeId: B, slots: range(10, 19) },
      { nodeId: C, slots: range(20, 29) },
    ];
    // 10 of 30: A ceil(3.33) = 4, B floor = 3, C floor = 3.
    expect(redisCliReshardTable(three, 10)).toHaveLength(10);
    // 2 of 30: A ceil(0.67) = 1, B floor(0.67) = 0, C 0: one slot only.
    expect(redisCliReshardTable(three, 2)).toEqual([{ slot: 0, sourceId: A }]);
    // More than they own: all of it.
    expect(redisCliReshardTable(three, 100)).toHaveLength(30);
  });

  it('rounds in single precision as redis-cli computes with float', () => {
    // 686 from two sources of 5461: 686/10922*5461 is exactly 343 in double, 343.00003 in float: 344 then 342.
    const moves = redisCliReshardTable(
      [
        { nodeId: A, slots: range(0, 5460) },
        { nodeId: C, slots: range(10923, 16383) },
      ],
      686,
    );
    expect(moves.filter((m) => m.sourceId === A)).toHaveLength(344);
    expect(moves.filter((m) => m.sourceId === C)).toHaveLength(342);
  });
});

describe('planReshard', () => {
  it('plans named ranges from their owners, skipping what the target owns', () => {
    const plan = planReshard(nodes, B, {
      slots: [
        [5459, 5463],
        [0, 1],
      ],
    });
    expect(plan.moves).toEqual([
      { slot: 0, sourceId: A },
      { slot: 1, sourceId: A },
      { slot: 5459, sourceId: A },
      { slot: 5460, sourceId: A },
    ]);
    expect(plan.skipped).toEqual([5461, 5462, 5463]);
    expect(plan.sources).toEqual([{ nodeId: A, slots: [0, 1, 5459, 5460] }]);
  });

  it('groups named ranges spanning several owners per source', () => {
    const plan = planReshard(nodes, D, {
      slots: [
        [5460, 5461],
        [16383, 16383],
      ],
    });
    expect(plan.sources).toEqual([
      { nodeId: A, slots: [5460] },
      { nodeId: B, slots: [5461] },
      { nodeId: C, slots: [16383] },
    ]);
  });

  it('refuses slots nobody owns, a bad range, a non-master target', () => {
    const uncovered: PlanNode[] = [
      { id: A, role: 'master', slots: [[0, 99]] },
      { id: B, role: 'master', slots: [] },
    ];
    expect(() => planReshard(uncovered, B, { slots: [[98, 101]] })).toThrow(/2 of the named slots have no owner/);
    expect(() => planReshard(nodes, B, { slots: [[5, 3]] })).toThrow(PlanError);
    expect(() => planReshard(nodes, B, { slots: [[0, 16384]] })).toThrow(/not a slot range/);
    expect(() => planReshard(nodes, R, { slots: [[0, 1]] })).toThrow(/not a master/);
    expect(() => planReshard(nodes, id('f'), { slots: [[0, 1]] })).toThrow(/not a node/);
  });

  it('takes N slots from all other masters (redis-cli --cluster-from all)', () => {
    const plan = planReshard(nodes, D, { count: 4096, sources: 'all' });
    // A, B, C: 5461, 5462, 5461 slots. B is largest: ceil(4096/16384*5462 = 1365.5) = 1366; A, C floor(1365.25) = 1365.
    expect(plan.sources.map((s) => [s.nodeId, s.slots.length])).toEqual([
      [B, 1366],
      [A, 1365],
      [C, 1365],
    ]);
    expect(plan.sources[0]?.slots[0]).toBe(5461);
    expect(plan.moves).toHaveLength(4096);
  });

  it('refuses the target among the sources, an unknown or replica source, a bad count', () => {
    expect(() => planReshard(nodes, A, { count: 10, sources: [A] })).toThrow(/target is also listed/);
    expect(() => planReshard(nodes, A, { count: 10, sources: [R] })).toThrow(/not a known master/);
    expect(() => planReshard(nodes, A, { count: 0, sources: 'all' })).toThrow(/from 1 to 16384/);
    expect(() => planReshard(nodes, A, { count: 10, sources: [D] })).toThrow(/own no slots/);
    expect(() => planReshard(nodes, A, { count: 10, sources: [] })).toThrow(/no source/);
  });
});
