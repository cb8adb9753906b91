import { describe, expect, it } from 'vitest';
import { healthy, id, withNode } from '../findings/snapshotFixture';
import { diffSnapshots } from './diff';

const at = (s: ReturnType<typeof healthy>, iso: string) => ({ ...s, collectedAt: iso });

describe('diffSnapshots', () => {
  it('finds nothing between identical snapshots', () => {
    expect(diffSnapshots(healthy(), healthy())).toEqual([]);
  });

  it('reports pfail, then fail, then recovery of a node', () => {
    const pfail = withNode(healthy(), 2, { flags: ['master', 'fail?'] });
    expect(diffSnapshots(healthy(), pfail).map((e) => e.kind)).toEqual(['node_pfail']);
    const fail = withNode(healthy(), 2, { flags: ['master', 'fail'] });
    expect(diffSnapshots(pfail, fail).map((e) => e.kind)).toEqual(['node_fail']);
    expect(diffSnapshots(fail, healthy()).map((e) => e.kind)).toEqual(['node_recovered']);
  });

  it('reports a failover with the new epoch, not as a slot move', () => {
    const before = healthy();
    let after = withNode(before, 4, {
      role: 'master',
      masterId: null,
      slots: [[0, 5460]],
      slotCount: 5461,
      configEpoch: 9,
    });
    after = withNode(after, 1, { flags: ['master', 'fail'], slots: [], slotCount: 0, reachable: false });
    after = at(after, '2026-01-01T00:00:01.000Z');
    const events = diffSnapshots(before, after);
    expect(events.map((e) => e.kind).sort()).toEqual(['failover', 'node_fail', 'node_unreachable']);
    const failover = events.find((e) => e.kind === 'failover');
    expect(failover).toMatchObject({ epoch: 9, nodeIds: [id(4), id(1)], at: '2026-01-01T00:00:01.000Z' });
    expect(failover?.message).toMatch(/now master \(config epoch 9\), replacing 10\.0\.0\.1:7001/);
  });

  it('reports slots moved between masters, grouped', () => {
    let after = withNode(healthy(), 1, { slots: [[0, 5450]], slotCount: 5451 });
    after = withNode(after, 2, { slots: [[5451, 10922]], slotCount: 5472 });
    const [moved] = diffSnapshots(healthy(), after);
    expect(moved).toMatchObject({ kind: 'slots_moved', nodeIds: [id(1), id(2)] });
    expect(moved?.slots).toHaveLength(10);
    expect(moved?.message).toMatch(/^10 slots 5451-5460 moved from/);
  });

  it('reports a slot opened and closed for migration', () => {
    const open = withNode(healthy(), 1, { migrating: [{ slot: 7, to: id(2) }] });
    expect(diffSnapshots(healthy(), open)).toEqual([
      expect.objectContaining({ kind: 'slot_opened', slots: [7], nodeIds: [id(1), id(2)] }),
    ]);
    expect(diffSnapshots(open, healthy())).toEqual([expect.objectContaining({ kind: 'slot_closed', slots: [7] })]);
  });

  it('reports nodes joining and being forgotten, and cluster_state changes', () => {
    const fewer = { ...healthy(), nodes: healthy().nodes.filter((n) => n.id !== id(6)) };
    expect(diffSnapshots(healthy(), fewer).map((e) => e.kind)).toEqual(['node_forgotten']);
    expect(diffSnapshots(fewer, healthy()).map((e) => e.kind)).toEqual(['node_joined']);
    expect(diffSnapshots(healthy(), { ...healthy(), status: 'fail' })).toEqual([
      expect.objectContaining({ kind: 'cluster_state', severity: 'critical' }),
    ]);
  });

  it('does not report a member first seen in the last poll as coming back', () => {
    const unseen = withNode(healthy(), 4, { reachable: false, error: 'not polled yet', info: undefined });
    expect(diffSnapshots(unseen, healthy())).toEqual([]);
    const lost = withNode(healthy(), 4, { reachable: false, error: 'connect ECONNREFUSED', info: undefined });
    expect(diffSnapshots(lost, healthy()).map((e) => e.kind)).toEqual(['node_reachable']);
  });
});
