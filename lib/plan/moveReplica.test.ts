import { describe, expect, it } from 'vitest';
import { planMoveReplica } from './moveReplica';
import { testNode as node, testReplica as replicaOf, testSnapshot as snapshot } from './testNodes';

const cluster = snapshot([
  node('a', '127.0.0.1:7001', { slots: [[0, 5460]] }),
  node('b', '127.0.0.2:7002', { slots: [[5461, 10922]] }),
  node('c', '127.0.0.3:7003', { slots: [[10923, 16383]] }),
  replicaOf('a1', '127.0.0.2:7004', 'a'),
  replicaOf('a2', '127.0.0.3:7005', 'a'),
  replicaOf('b1', '127.0.0.3:7006', 'b'),
]);

describe('planMoveReplica', () => {
  it('defaults to the fewest-replica master on another host', () => {
    const decision = planMoveReplica(cluster, 'a1');
    if (!decision.ok) throw new Error(decision.reason);
    expect(decision.plan).toMatchObject({
      replica: { id: 'a1' },
      from: { id: 'a' },
      to: { id: 'c', replicas: 0, sameHost: false },
      defaulted: true,
    });
    expect(decision.plan.steps).toHaveLength(4);
  });

  it('names the other-host choice when the chosen master shares the replica host', () => {
    const decision = planMoveReplica(cluster, 'a1', 'b');
    if (!decision.ok) throw new Error(decision.reason);
    expect(decision.plan.to).toMatchObject({ id: 'b', sameHost: true });
    expect(decision.plan.notes.join(' ')).toMatch(/own host: .*on another host: 127\.0\.0\.3:7003/);
  });

  it('warns when the old master is left without a replica', () => {
    const decision = planMoveReplica(cluster, 'b1', 'a');
    if (!decision.ok) throw new Error(decision.reason);
    expect(decision.plan.notes.join(' ')).toMatch(/127\.0\.0\.2:7002 is left without a replica/);
  });

  it('refuses masters, unknown nodes, its own master and itself', () => {
    expect(planMoveReplica(cluster, 'a')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a replica/) });
    expect(planMoveReplica(cluster, 'zz')).toMatchObject({ ok: false, reason: 'no node zz in this cluster' });
    expect(planMoveReplica(cluster, 'a1', 'a')).toMatchObject({ ok: false, reason: expect.stringMatching(/already/) });
    expect(planMoveReplica(cluster, 'a1', 'b1')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/not a master/),
    });
    expect(planMoveReplica(cluster, 'a1', 'a1')).toMatchObject({ ok: false, reason: expect.stringMatching(/itself/) });
  });

  it('refuses a master that does not answer', () => {
    const down = snapshot(cluster.nodes.map((n) => (n.id === 'c' ? { ...n, reachable: false } : n)));
    expect(planMoveReplica(down, 'a1', 'c')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not answer/),
    });
  });
});
