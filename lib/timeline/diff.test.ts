import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../cluster/types';
import { healthy, id, node, withNode } from '../findings/snapshotFixture';
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

  it('groups the slots of one poll into one opened and one closed event per poll, by move', () => {
    const open = withNode(
      withNode(healthy(), 1, {
        migrating: [
          { slot: 7, to: id(2) },
          { slot: 8, to: id(2) },
          { slot: 9, to: id(3) },
        ],
      }),
      2,
      {
        importing: [
          { slot: 7, from: id(1) },
          { slot: 8, from: id(1) },
        ],
      },
    );
    const opened = diffSnapshots(healthy(), open);
    expect(opened).toEqual([expect.objectContaining({ kind: 'slot_opened', slots: [7, 8, 9] })]);
    expect(opened[0]?.message).toBe(
      '3 slots opened for migration: 7-8 from 10.0.0.1:7001 (11111111) to 10.0.0.2:7002 (22222222); 9 from 10.0.0.1:7001 (11111111) to 10.0.0.3:7003 (33333333).',
    );
    expect(new Set(opened[0]?.nodeIds)).toEqual(new Set([id(1), id(2), id(3)]));
    const closed = diffSnapshots(open, healthy());
    expect(closed).toEqual([expect.objectContaining({ kind: 'slot_closed', slots: [7, 8, 9] })]);
    expect(closed[0]?.message).toMatch(/^3 slots closed \(migration over\): 7-8 from /);
  });

  it('reports no join or forget for a handshake entry (a temporary id until the MEET completes)', () => {
    const met = {
      ...healthy(),
      nodes: [
        ...healthy().nodes,
        node(7, '10.0.0.4', 'master', { id: 'f'.repeat(40), role: 'unknown', flags: ['handshake'], info: undefined }),
      ],
    };
    expect(diffSnapshots(healthy(), met)).toEqual([]);
    expect(diffSnapshots(met, healthy())).toEqual([]);
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

  describe('when no node answers', () => {
    // The two shapes a poll nobody answers may take: no member listed, or the last known members kept unreachable.
    const nobody = (): ClusterSnapshot => ({
      ...at(healthy(), '2026-01-01T00:00:01.000Z'),
      status: 'unknown',
      state: {},
      referenceNodeId: null,
      nodes: [],
      summary: { ...healthy().summary, nodes: 0, masters: 0, replicas: 0, reachable: 0 },
    });
    const keptUnreachable = (): ClusterSnapshot => ({
      ...nobody(),
      nodes: healthy().nodes.map((n) => ({
        ...n,
        reachable: false,
        error: 'no reply within 1000 ms',
        info: undefined,
      })),
    });

    for (const [shape, silent] of [
      ['no member listed', nobody],
      ['members kept unreachable', keptUnreachable],
    ] as const) {
      it(`is one "state unknown" event, then one "recovered" event (${shape})`, () => {
        const lost = diffSnapshots(healthy(), silent());
        expect(lost).toEqual([expect.objectContaining({ kind: 'cluster_unknown', severity: 'critical', nodeIds: [] })]);
        expect(lost[0]?.message).toMatch(/cluster state unknown \(last known: cluster_state ok\)/);
        expect(diffSnapshots(silent(), silent())).toEqual([]);
        const back = diffSnapshots(silent(), at(healthy(), '2026-01-01T00:00:09.000Z'));
        expect(back).toEqual([
          expect.objectContaining({ kind: 'cluster_recovered', severity: 'info', at: '2026-01-01T00:00:09.000Z' }),
        ]);
        expect(back[0]?.message).toBe('Nodes answer the dashboard again: 6 of 6; cluster_state ok.');
      });
    }

    it('says how many answer when only some come back, and a failing cluster is critical', () => {
      const some = withNode(withNode({ ...healthy(), status: 'fail' }, 1, { reachable: false }), 4, {
        reachable: false,
      });
      const [back] = diffSnapshots(keptUnreachable(), some);
      expect(back).toMatchObject({ kind: 'cluster_recovered', severity: 'critical' });
      expect(back?.message).toBe('Nodes answer the dashboard again: 4 of 6; cluster_state fail.');
    });

    it('still reports what changed in the cluster meanwhile when the last known members were kept', () => {
      let after = withNode(healthy(), 4, { role: 'master', masterId: null, slots: [[0, 5460]], configEpoch: 9 });
      after = withNode(after, 1, { role: 'replica', masterId: id(4), slots: [] });
      const kinds = diffSnapshots(keptUnreachable(), after).map((e) => e.kind);
      expect(kinds.sort()).toEqual(['cluster_recovered', 'failover', 'role_changed']);
    });

    it('counts a cluster that never answered as unknown without an event, and its first answer as a recovery', () => {
      expect(diffSnapshots(nobody(), keptUnreachable())).toEqual([]);
      expect(diffSnapshots(nobody(), healthy()).map((e) => e.kind)).toEqual(['cluster_recovered']);
    });

    it('is not fooled by answering nodes that report no cluster_state (CLUSTER INFO not permitted)', () => {
      const noClusterInfo = { ...healthy(), status: 'unknown' as const, state: {} };
      expect(diffSnapshots(healthy(), noClusterInfo)).toEqual([]);
    });
  });
});
