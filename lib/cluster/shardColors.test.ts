import { describe, expect, it } from 'vitest';
import { testNode, testReplica } from '../plan/testNodes';
import { shardColor, shardColors } from './shardColors';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const D = '0'.repeat(40);

const threeShards = () => [
  testNode(A, '10.0.0.1:7000', { slots: [[0, 5460]] }),
  testNode(B, '10.0.0.2:7000', { slots: [[5461, 10922]] }),
  testNode(C, '10.0.0.3:7000', { slots: [[10923, 16383]] }),
  testReplica('ra'.padEnd(40, '1'), '10.0.0.4:7000', A),
];

describe('shardColors', () => {
  it('leaves the other masters’ colours alone when a master is added, even one that takes the lowest slots', () => {
    const memory = new Map<string, number>();
    const before = shardColors(threeShards(), memory);
    // The new master D takes slots 0-1000 from A (a rebalance): it now holds the lowest slot.
    const [a, b, c, ra] = threeShards();
    if (!a || !b || !c || !ra) throw new Error('fixture');
    const after = shardColors(
      [{ ...a, slots: [[1001, 5460]] }, b, c, ra, testNode(D, '10.0.0.5:7000', { slots: [[0, 1000]] })],
      memory,
    );
    for (const id of [A, B, C, ra.id]) expect(after.get(id)).toBe(before.get(id));
    expect(new Set([A, B, C, D].map((id) => after.get(id))).size).toBe(4);
  });

  it('leaves them alone when a master is removed, and keeps a shard’s colour across a failover', () => {
    const memory = new Map<string, number>();
    const before = shardColors(threeShards(), memory);
    const [a, b, , ra] = threeShards();
    if (!a || !b || !ra) throw new Error('fixture');
    const fewer = shardColors([{ ...a, slots: [[0, 10922]] }, { ...b, slots: [[10923, 16383]] }, ra], memory);
    expect(fewer.get(A)).toBe(before.get(A));
    expect(fewer.get(B)).toBe(before.get(B));
    const failedOver = shardColors(
      [
        { ...a, role: 'replica', masterId: ra.id, slots: [], slotCount: 0 },
        { ...ra, role: 'master', masterId: null, slots: [[0, 10922]], slotCount: 10923 },
        { ...b, slots: [[10923, 16383]] },
      ],
      memory,
    );
    expect(failedOver.get(ra.id)).toBe(before.get(A));
    expect(failedOver.get(A)).toBe(before.get(A));
  });

  it('gives the same colours to the same topology with no memory, each shard its own from the palette', () => {
    const once = shardColors(threeShards(), null);
    expect(shardColors(threeShards(), null)).toEqual(once);
    const palette = Array.from({ length: 8 }, (_, i) => shardColor(i));
    for (const id of [A, B, C]) expect(palette).toContain(once.get(id));
    expect(new Set([A, B, C].map((id) => once.get(id))).size).toBe(3);
  });
});
