import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClusterShards } from './clusterShards';
import { ReplyParseError } from './errors';

const reply: unknown = JSON.parse(
  readFileSync(new URL('./fixtures/cluster-shards-resp2-7.0.json', import.meta.url), 'utf8'),
);
const ID = 'c'.repeat(40);

describe('parseClusterShards (RESP2 shape)', () => {
  it('reads the 7.0.15 reply', () => {
    const shards = parseClusterShards(reply);
    expect(shards).toHaveLength(3);
    expect(shards.flatMap((s) => s.slots).reduce((sum, [a, b]) => sum + b - a + 1, 0)).toBe(16384);
    for (const shard of shards) {
      expect(shard.nodes.map((n) => n.role).sort()).toEqual(['master', 'replica']);
      expect(shard.nodes.every((n) => n.health === 'online')).toBe(true);
    }
  });

  it('reads a shard with no slots and several ranges', () => {
    const shards = parseClusterShards([
      [
        'slots',
        [0, 5, 7, 9],
        'nodes',
        [['id', ID, 'port', 6379, 'ip', '10.0.0.1', 'role', 'master', 'replication-offset', 12, 'health', 'loading']],
      ],
      ['slots', [], 'nodes', []],
    ]);
    expect(shards[0]?.slots).toEqual([
      [0, 5],
      [7, 9],
    ]);
    expect(shards[0]?.nodes[0]).toMatchObject({ id: ID, port: 6379, health: 'loading', replicationOffset: 12 });
    expect(shards[1]).toEqual({ slots: [], nodes: [] });
  });

  it.each([
    ['a non-list', 'OK'],
    ['an odd key/value list', [['slots']]],
    ['a bad slot range', [['slots', [9, 2], 'nodes', []]]],
    ['a node without id', [['slots', [], 'nodes', [['port', 1]]]]],
    ['missing nodes', [['slots', []]]],
  ])('refuses %s', (_what, bad) => {
    expect(() => parseClusterShards(bad)).toThrow(ReplyParseError);
  });
});
