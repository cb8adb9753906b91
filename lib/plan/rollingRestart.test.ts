import { describe, expect, it } from 'vitest';
import type { NodeInfoSummary } from '../cluster/types';
import { planRollingRestart } from './rollingRestart';
import { testNode, testSnapshot } from './testNodes';

const info = (over: Partial<NodeInfoSummary>) => over as NodeInfoSummary;
const node = testNode;
const replicaOf = (id: string, addr: string, masterId: string, offset = 100) =>
  node(id, addr, {
    role: 'replica',
    masterId,
    flags: ['slave'],
    info: info({ master_link_status: 'up', slave_repl_offset: offset }),
  });
const snapshot = testSnapshot;

// Listed out of shard order on purpose: b (slots 5461-) comes before a (slots 0-) in the snapshot.
const three = [
  node('b', '127.0.0.2:7002', { slots: [[5461, 10922]] }),
  node('a', '127.0.0.1:7001', { slots: [[0, 5460]] }),
  node('c', '127.0.0.3:7003', { slots: [[10923, 16383]] }),
  replicaOf('b1', '127.0.0.3:7005', 'b'),
  replicaOf('a2', '127.0.0.1:7007', 'a', 500),
  replicaOf('a1', '127.0.0.2:7004', 'a', 100),
  replicaOf('c1', '127.0.0.1:7006', 'c'),
];

describe('planRollingRestart', () => {
  it('restarts every replica first, shard by shard, then fails over each master to its best replica', () => {
    const plan = planRollingRestart(snapshot(three), { failBack: false });
    expect(plan.allowed).toBe(true);
    expect(plan.steps.map((s) => s.name)).toEqual([
      'restart replica 127.0.0.1:7007 (of 127.0.0.1:7001)',
      'restart replica 127.0.0.2:7004 (of 127.0.0.1:7001)',
      'restart replica 127.0.0.3:7005 (of 127.0.0.2:7002)',
      'restart replica 127.0.0.1:7006 (of 127.0.0.3:7003)',
      // a2 has the larger offset but shares a's host: the failover job's choice is a1, on another host.
      'fail over 127.0.0.1:7001 to 127.0.0.2:7004',
      'restart 127.0.0.1:7001 (old master, a replica of 127.0.0.2:7004 now)',
      'fail over 127.0.0.2:7002 to 127.0.0.3:7005',
      'restart 127.0.0.2:7002 (old master, a replica of 127.0.0.3:7005 now)',
      'fail over 127.0.0.3:7003 to 127.0.0.1:7006',
      'restart 127.0.0.3:7003 (old master, a replica of 127.0.0.1:7006 now)',
    ]);
  });

  it('fails back after each old master when asked', () => {
    const plan = planRollingRestart(snapshot(three), { failBack: true });
    const kinds = plan.steps.slice(4).map((s) => s.kind);
    expect(kinds).toEqual([
      'failover',
      'restart',
      'failback',
      'failover',
      'restart',
      'failback',
      'failover',
      'restart',
      'failback',
    ]);
    expect(plan.steps[6]).toMatchObject({ kind: 'failback', nodeId: 'a', fromId: 'a1' });
  });

  it('skips a master without a replica unless acknowledged, naming the slots that go unavailable', () => {
    const nodes = [
      node('a', '127.0.0.1:7001', { slots: [[0, 8191]] }),
      node('b', '127.0.0.2:7002', { slots: [[8192, 16383]] }),
      replicaOf('b1', '127.0.0.3:7003', 'b'),
    ];
    const skipped = planRollingRestart(snapshot(nodes), { failBack: false });
    const lone = skipped.steps.find((s) => s.kind === 'skip');
    expect(lone).toMatchObject({ kind: 'skip', nodeId: 'a' });
    expect(lone?.kind === 'skip' && lone.reason).toMatch(
      /no replica: restarting it makes its 8192 slots \(0-8191\) unavailable/,
    );
    const acknowledged = planRollingRestart(snapshot(nodes), { failBack: false, restartLoneMasters: true });
    expect(acknowledged.steps.find((s) => s.kind === 'restart' && s.nodeId === 'a')).toMatchObject({
      role: 'lone-master',
    });
    expect(acknowledged.notes.join(' ')).toMatch(/127\.0\.0\.1:7001 has no replica/);
  });

  it('leaves out the nodes asked: a replica is not restarted, a master neither failed over nor restarted', () => {
    const plan = planRollingRestart(snapshot(three), { failBack: true, skipNodeIds: ['a2', 'b'] });
    expect(plan.steps.filter((s) => s.kind === 'skip').map((s) => s.name)).toEqual([
      'skip replica 127.0.0.1:7007 (left out)',
      'skip master 127.0.0.2:7002 (left out)',
    ]);
    expect(plan.steps.some((s) => s.kind === 'failover' && s.masterId === 'b')).toBe(false);
    expect(plan.steps.filter((s) => s.kind === 'failover')).toHaveLength(2);
  });

  it('restarts a master without slots in place, with no failover', () => {
    const nodes = [...three, node('e', '127.0.0.2:7010')];
    const steps = planRollingRestart(snapshot(nodes), { failBack: true }).steps;
    expect(steps.filter((s) => s.kind === 'failover')).toHaveLength(3);
    expect(steps.at(-1)).toMatchObject({ kind: 'restart', nodeId: 'e', role: 'empty-master' });
  });

  it('is blocked while the cluster is not whole: FAIL flags, an unreachable node, a link down, open slots', () => {
    const [b, a, c, b1, a2, a1, c1] = three.map((n) => ({ ...n }));
    if (!b || !a || !c || !b1 || !a2 || !a1 || !c1) throw new Error('fixture');
    const bad = snapshot(
      [
        b,
        { ...a, migrating: [{ slot: 3, to: 'b' }] },
        { ...c, flags: ['master', 'fail'] },
        { ...b1, reachable: false },
        { ...a2, info: info({ master_link_status: 'down' }) },
        a1,
        c1,
      ],
      { status: 'fail' },
    );
    const plan = planRollingRestart(bad, { failBack: false });
    expect(plan.allowed).toBe(false);
    expect(plan.blockers).toEqual([
      'cluster_state is fail, not ok',
      '127.0.0.1:7001 has open slots (migrating/importing): finish or fix them first',
      '127.0.0.3:7003 is flagged fail',
      '127.0.0.3:7005 does not answer the dashboard: its restart could not be detected',
      '127.0.0.1:7007: master_link_status is down, not up',
    ]);
  });
});
