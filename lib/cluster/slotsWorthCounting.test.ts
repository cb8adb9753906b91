import { describe, expect, it } from 'vitest';
import { slotsWorthCounting } from './slotsWorthCounting';
import type { ClusterSnapshot, SnapshotNode } from './types';

type Ranges = Array<[number, number]>;

function snapshotOf(masters: Ranges[], open: { migrating?: number[]; importing?: number[] } = {}): ClusterSnapshot {
  const nodes = masters.map(
    (slots, i) =>
      ({
        id: `m${i}`,
        role: 'master',
        slots,
        migrating: i === 0 ? (open.migrating ?? []).map((slot) => ({ slot, to: 'm1' })) : [],
        importing: i === 1 ? (open.importing ?? []).map((slot) => ({ slot, from: 'm0' })) : [],
      }) as unknown as SnapshotNode,
  );
  return { nodes } as unknown as ClusterSnapshot;
}

/** Every slot's owners counted one by one: the plain reading of "uncovered or claimed twice". */
function byCounting(masters: Ranges[]): number[] {
  const claims = new Array<number>(16384).fill(0);
  for (const ranges of masters)
    for (const [a, b] of ranges) for (let s = a; s <= b; s++) claims[s] = (claims[s] ?? 0) + 1;
  return claims.flatMap((n, slot) => (n === 1 ? [] : [slot]));
}

describe('slotsWorthCounting', () => {
  it('is empty for a covered cluster with no open slot', () => {
    expect(slotsWorthCounting(snapshotOf([[[0, 5460]], [[5461, 10922]], [[10923, 16383]]]))).toEqual([]);
  });

  it('names open, uncovered and twice-claimed slots, lowest first', () => {
    const masters: Ranges[] = [
      [
        [0, 100],
        [300, 400],
      ],
      [[90, 200]],
      [
        [350, 16000],
        [16002, 16383],
      ],
    ];
    expect(slotsWorthCounting(snapshotOf(masters, { migrating: [5000], importing: [7] }))).toEqual(
      [...new Set([...byCounting(masters), 5000, 7])].sort((a, b) => a - b),
    );
  });

  it('agrees with counting every slot on random layouts (gaps, overlaps, ranges inside ranges)', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 50; round++) {
      const masters: Ranges[] = Array.from({ length: 1 + random(6) }, () =>
        Array.from({ length: random(4) }, () => {
          const a = random(16384);
          return [a, Math.min(16383, a + random(6000))] as [number, number];
        }),
      );
      expect(slotsWorthCounting(snapshotOf(masters))).toEqual(byCounting(masters));
    }
  });
});
