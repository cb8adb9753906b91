import { describe, expect, it } from 'vitest';
import { mapToCurrentMasters } from './shardMasters';

type N = Parameters<typeof mapToCurrentMasters>[1][number];
const node = (id: string, over: Partial<N> = {}): N => ({
  id,
  addr: `10.0.0.${id}:6379`,
  role: 'master',
  masterId: null,
  flags: ['master'],
  slots: [],
  ...over,
});
const moves = [
  { slot: 10, sourceId: 'a', targetId: 'b' },
  { slot: 11, sourceId: 'a', targetId: 'b' },
];

describe('mapToCurrentMasters', () => {
  it('leaves a plan alone while its nodes are still healthy masters', () => {
    const out = mapToCurrentMasters(moves, [node('a', { slots: [[0, 100]] }), node('b')]);
    expect(out).toEqual({ moves, replaced: new Map(), problems: [] });
  });

  it('maps a planned master a failover demoted to the master of its shard now', () => {
    const out = mapToCurrentMasters(moves, [
      node('a', { role: 'replica', masterId: 'a2', flags: ['slave'] }),
      node('a2', { slots: [[0, 100]] }),
      node('b', { role: 'replica', masterId: 'b2', flags: ['slave'] }),
      node('b2'),
    ]);
    expect(out.moves.map((m) => [m.sourceId, m.targetId])).toEqual([
      ['a2', 'b2'],
      ['a2', 'b2'],
    ]);
    expect([...out.replaced]).toEqual([
      ['a', 'a2'],
      ['b', 'b2'],
    ]);
    expect(out.problems).toEqual([]);
  });

  it('takes the slot owner for a failed source, and names a failed target with no successor', () => {
    const out = mapToCurrentMasters(moves, [
      node('a', { flags: ['master', 'fail'] }),
      node('a2', { slots: [[0, 100]] }),
      node('b', { flags: ['master', 'fail'] }),
    ]);
    expect(out.moves.map((m) => m.sourceId)).toEqual(['a2', 'a2']);
    expect(out.problems).toEqual([expect.stringMatching(/^the target 10\.0\.0\.b:6379 has failed/)]);
  });

  it('names a node that left the cluster, and a move whose two ends are one shard now', () => {
    expect(mapToCurrentMasters(moves, [node('a', { slots: [[0, 100]] })]).problems).toEqual([
      'the target b is no longer in the cluster',
    ]);
    const merged = mapToCurrentMasters(moves, [
      node('a', { slots: [[0, 100]] }),
      node('b', { role: 'replica', masterId: 'a', flags: ['slave'] }),
    ]);
    expect(merged.problems).toEqual([
      'slot 10: its source and target are in the same shard now, nothing to move',
      'slot 11: its source and target are in the same shard now, nothing to move',
    ]);
  });
});
