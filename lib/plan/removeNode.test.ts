import { describe, expect, it } from 'vitest';
import { infoWith } from '../findings/snapshotFixture';
import { planRemoveNode, type RemoveNodeStep } from './removeNode';
import { testNode as node, testReplica as replicaOf, testSnapshot as snapshot } from './testNodes';

// Three hosts; a, b, c own the slots; e is an empty master on host 1 with two replicas (hosts 1 and 2).
const nodes = [
  node('a', '127.0.0.1:7001', { slots: [[0, 5460]] }),
  node('b', '127.0.0.2:7002', { slots: [[5461, 10922]] }),
  node('c', '127.0.0.3:7003', { slots: [[10923, 16383]] }),
  replicaOf('a1', '127.0.0.2:7004', 'a'),
  replicaOf('b1', '127.0.0.3:7005', 'b'),
  node('e', '127.0.0.1:7006'),
  replicaOf('e1', '127.0.0.1:7007', 'e'),
  replicaOf('e2', '127.0.0.2:7008', 'e'),
];
const cluster = snapshot(nodes);
const kinds = (steps: RemoveNodeStep[]) => steps.map((s) => s.kind);

describe('planRemoveNode', () => {
  it('refuses a master that owns slots, offering to drain it first', () => {
    const decision = planRemoveNode(cluster, 'b');
    expect(decision).toMatchObject({ ok: false, drainFirst: { nodeId: 'b', slots: 5462 } });
    if (!decision.ok) expect(decision.reason).toMatch(/owns 5462 slots: drain it first/);
  });

  it('refuses an unknown node and the last node', () => {
    expect(planRemoveNode(cluster, 'zz')).toMatchObject({ ok: false, reason: 'no node zz in this cluster' });
    const lone = snapshot([node('x', '127.0.0.1:7001')]);
    expect(planRemoveNode(lone, 'x')).toMatchObject({ ok: false, reason: "127.0.0.1:7001 is the cluster's last node" });
  });

  it('refuses a node with an open slot, or one a slot is open towards', () => {
    const open = snapshot([
      node('a', '127.0.0.1:7001', { slots: [[0, 16383]], migrating: [{ slot: 5, to: 'e' }] }),
      node('e', '127.0.0.2:7002', { importing: [{ slot: 5, from: 'a' }] }),
    ]);
    expect(planRemoveNode(open, 'e')).toMatchObject({ ok: false, reason: expect.stringMatching(/open slots/) });
  });

  it('forgets a replica on every other node, verifies, resets it', () => {
    const decision = planRemoveNode(cluster, 'a1');
    if (!decision.ok) throw new Error(decision.reason);
    expect(decision.plan.role).toBe('replica');
    expect(kinds(decision.plan.steps)).toEqual(['recheck', 'forget', 'verify', 'reset']);
    const forget = decision.plan.steps.find((s) => s.kind === 'forget');
    expect(forget?.kind === 'forget' && forget.nodes.map((n) => n.id)).toEqual(['a', 'b', 'c', 'b1', 'e', 'e1', 'e2']);
    expect(decision.plan.notes).toEqual([
      '127.0.0.1:7001 is left without a replica: a failure of it loses its 5461 slots',
    ]);
  });

  it("re-homes a slot-less master's replicas to the fewest-replica master on another host", () => {
    const decision = planRemoveNode(cluster, 'e');
    if (!decision.ok) throw new Error(decision.reason);
    const rehomes = decision.plan.steps.flatMap((s) => (s.kind === 'rehome' ? [s] : []));
    // e1 (host 1) to c (no replica); then a and c have one each and e2 (host 2) takes the lower slot, a.
    expect(rehomes.map((s) => [s.replica.id, s.master.id])).toEqual([
      ['e1', 'c'],
      ['e2', 'a'],
    ]);
    expect(rehomes.every((s) => !s.sameHost)).toBe(true);
    expect(kinds(decision.plan.steps)).toEqual(['recheck', 'rehome', 'rehome', 'forget', 'verify', 'reset']);
  });

  it('re-homes onto the same host only when no master is elsewhere, and says so', () => {
    const two = snapshot([
      node('a', '127.0.0.1:7001', { slots: [[0, 16383]] }),
      node('e', '127.0.0.2:7002'),
      replicaOf('e1', '127.0.0.1:7003', 'e'),
    ]);
    const decision = planRemoveNode(two, 'e');
    if (!decision.ok) throw new Error(decision.reason);
    expect(decision.plan.steps[1]).toMatchObject({ kind: 'rehome', master: { id: 'a' }, sameHost: true });
    expect(decision.plan.notes.join(' ')).toMatch(/on its own host/);
  });

  it('refuses when a replica to re-home does not answer', () => {
    const down = snapshot(nodes.map((n) => (n.id === 'e2' ? { ...n, reachable: false } : n)));
    expect(planRemoveNode(down, 'e')).toMatchObject({ ok: false, reason: expect.stringMatching(/e2|7008/) });
  });

  it('forgets a dead replica without resetting it, and names the silent node', () => {
    const dead = snapshot(nodes.map((n) => (n.id === 'b1' ? { ...n, reachable: false, flags: ['slave', 'fail'] } : n)));
    const decision = planRemoveNode(dead, 'b1');
    if (!decision.ok) throw new Error(decision.reason);
    expect(kinds(decision.plan.steps)).toEqual(['recheck', 'forget', 'verify']);
    expect(decision.plan.notes.join(' ')).toMatch(/does not answer: it is not reset/);
  });

  it('refuses a slot-less master that still holds keys (Redis refuses CLUSTER RESET there)', () => {
    const keyed = snapshot(nodes.map((n) => (n.id === 'e' ? { ...n, info: infoWith({ keys: 3 }) } : n)));
    expect(planRemoveNode(keyed, 'e')).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/still holds 3 keys.*refuses CLUSTER RESET/),
    });
  });

  it("says a replica's reset flushes its copy of the data, and that gossip after the ban is not watched", () => {
    const decision = planRemoveNode(cluster, 'a1');
    if (!decision.ok) throw new Error(decision.reason);
    const names = decision.plan.steps.map((s) => s.name).join(' | ');
    expect(names).toMatch(/CLUSTER RESET SOFT on 127.0.0.2:7004: .*its copy of the data is flushed/);
    expect(names).toMatch(/re-adding by gossip after the 60 s ban is not watched/);
  });
});
