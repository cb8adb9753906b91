import { describe, expect, it } from 'vitest';
import { healthy, id, withNode } from '../findings/snapshotFixture';
import { bigKeysTargets, skippedSummary } from './bigKeysTargets';

const outside = { reachable: false, info: undefined, outsideNodeNetworks: true as const };

describe('bigKeysTargets', () => {
  it('scans a healthy replica of every shard and skips nothing', () => {
    const { targets, skipped } = bigKeysTargets(healthy().nodes);
    expect(targets.map((n) => n.id)).toEqual([id(4), id(5), id(6)]);
    expect(skipped).toEqual([]);
    expect(skippedSummary(skipped)).toBeUndefined();
  });

  it('names a shard whose nodes are outside nodeNetworks, with its slots and why, instead of dropping it', () => {
    const snapshot = withNode(withNode(healthy(), 2, outside), 5, outside);
    const { targets, skipped } = bigKeysTargets(snapshot.nodes);
    expect(targets.map((n) => n.id)).toEqual([id(4), id(6)]);
    expect(skipped).toEqual([
      {
        masterId: id(2),
        addr: '10.0.0.2:7002',
        slots: '5461-10922',
        slotCount: 5462,
        reason: 'its nodes are outside nodeNetworks: not polled, so not scanned',
      },
    ]);
    expect(skippedSummary(skipped)).toBe(
      'incomplete: 1 shard (5,462 slots) not scanned: 10.0.0.2:7002 (slots 5461-10922): its nodes are outside nodeNetworks: not polled, so not scanned',
    );
  });

  it('says when part of a shard is outside and the rest does not answer', () => {
    const down = { reachable: false, info: undefined, error: 'timeout' };
    const { skipped } = bigKeysTargets(withNode(withNode(healthy(), 3, outside), 6, down).nodes);
    expect(skipped.map((s) => s.reason)).toEqual([
      '1 of its 2 nodes is outside nodeNetworks (not polled) and the others do not answer',
    ]);
  });

  it('a shard whose master is outside but whose replica answers is still scanned (on the replica)', () => {
    const { targets, skipped } = bigKeysTargets(withNode(healthy(), 1, outside).nodes);
    expect(targets.map((n) => n.id)).toContain(id(4));
    expect(skipped).toEqual([]);
  });
});
