import { describe, expect, it } from 'vitest';
import { healthy, id, withNode } from '../findings/snapshotFixture';
import { shardColor } from './shardColors';
import { hexToRgb, MAP_COLUMNS, MAP_ROWS, mapHeight, overlayRuns, slotMapModel } from './slotMap';
import { overlayCode } from './slotOverlay';

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

  it('fits the 16384 slots in under 160 px at the width a 1920 px window gives, scaling with the width', () => {
    expect(MAP_COLUMNS * MAP_ROWS).toBe(16384);
    expect(mapHeight(1840)).toBeLessThanOrEqual(160);
    expect(mapHeight(1840)).toBeGreaterThanOrEqual(120);
    expect(mapHeight(3760)).toBeCloseTo(2 * mapHeight(1880), -1);
    // Cells stay at least 2 px wide and 3 px tall at 1366.
    expect(1300 / MAP_COLUMNS).toBeGreaterThanOrEqual(2);
    expect(mapHeight(1300) / MAP_ROWS).toBeGreaterThanOrEqual(3);
  });

  it('draws no overlay on a healthy cluster and one run per row for a failed master', () => {
    expect(slotMapModel(healthy()).overlayRuns).toEqual([]);
    const s = withNode(healthy(), 1, { flags: ['master', 'fail'], reachable: false, error: 'ECONNREFUSED' });
    const model = slotMapModel(s);
    expect(model.overlay.critical).toBe(5461);
    const runs = model.overlayRuns;
    expect(runs.every((r) => r.level === 'critical')).toBe(true);
    expect(runs.reduce((sum, r) => sum + r.length, 0)).toBe(5461);
    expect(runs[0]).toEqual({ row: 0, col: 0, length: MAP_COLUMNS, level: 'critical' });
    // 5461 = 10 full rows and 341 slots of the 11th.
    expect(runs).toHaveLength(11);
    expect(runs[10]).toEqual({ row: 10, col: 0, length: 5461 - 10 * MAP_COLUMNS, level: 'critical' });
  });

  it('splits runs where the level changes inside a row', () => {
    const kind = new Uint8Array(16384);
    kind.fill(overlayCode('pfail'), 3, 7);
    kind.fill(overlayCode('fail'), 7, 9);
    kind.fill(overlayCode('noReplica'), 9, 10);
    expect(overlayRuns(kind)).toEqual([
      { row: 0, col: 3, length: 4, level: 'warning' },
      { row: 0, col: 7, length: 2, level: 'critical' },
      { row: 0, col: 9, length: 1, level: 'warning' },
    ]);
  });
});
