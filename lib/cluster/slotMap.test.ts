import { describe, expect, it } from 'vitest';
import { healthy, id, withNode } from '../findings/snapshotFixture';
import { shardColor } from './shardColors';
import { hexToRgb, slotMapModel } from './slotMap';

describe('slotMapModel', () => {
  it('gives every slot its master, one colour per shard', () => {
    const model = slotMapModel(healthy());
    expect(model.uncovered).toBe(0);
    expect(new Set(model.owner)).toEqual(new Set([0, 1, 2]));
    expect(model.owners.map((n) => n.id)).toEqual([id(1), id(2), id(3)]);
    expect(new Set(model.colours).size).toBe(3);
  });

  it('marks uncovered and open slots', () => {
    let s = withNode(healthy(), 1, { slots: [[10, 5460]], slotCount: 5451, migrating: [{ slot: 20, to: id(2) }] });
    s = withNode(s, 2, { importing: [{ slot: 20, from: id(1) }] });
    const model = slotMapModel(s);
    expect(model.uncovered).toBe(10);
    expect(model.owner[0]).toBe(-1);
    expect(model.open.get(20)).toEqual({ migrating: id(1), importing: id(2) });
  });

  it('keeps a shard colour across a failover inside the shard', () => {
    const before = slotMapModel(healthy());
    let after = withNode(healthy(), 4, { role: 'master', masterId: null, slots: [[0, 5460]], slotCount: 5461 });
    after = withNode(after, 1, { slots: [], slotCount: 0, flags: ['master', 'fail'] });
    expect(slotMapModel(after).colours[0]).toBe(before.colours[0]);
  });

  it('has distinct colours past eight shards and parses them', () => {
    const colours = Array.from({ length: 24 }, (_, i) => shardColor(i));
    expect(new Set(colours).size).toBe(24);
    expect(hexToRgb('#E69F00')).toEqual([230, 159, 0]);
  });
});
