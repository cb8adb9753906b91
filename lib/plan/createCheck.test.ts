import { describe, expect, it } from 'vitest';
import type { TargetCheckResult } from '../api/types';
import { changedSincePreview, createNodeRefusal, createNodesRefusals, layoutWarnings } from './createCheck';
import { type CreateLayoutPlan, planCreateLayout } from './createLayout';

const empty = (addr: string, nodeId: string): TargetCheckResult => ({
  addr,
  member: false,
  reachable: true,
  clusterEnabled: true,
  nodeId,
  knownNodes: 1,
  slotsAssigned: 0,
  keys: 0,
  readyToJoin: true,
});

function plan(nodes: string[], replicas: number): CreateLayoutPlan {
  const result = planCreateLayout({ nodes, replicasPerMaster: replicas });
  if (!result.ok) throw new Error('refused');
  return result.plan;
}

describe('createNodeRefusal', () => {
  it('accepts an empty cluster-enabled node that knows only itself', () => {
    expect(createNodeRefusal(empty('10.0.0.1:7000', 'a'.repeat(40)))).toBeUndefined();
  });

  it.each([
    [{ reachable: false, error: 'connection refused' }, '10.0.0.1:7000 does not answer: connection refused'],
    [{ clusterEnabled: false }, '10.0.0.1:7000 is not cluster-enabled'],
    [{ keys: 3 }, '10.0.0.1:7000 holds 3 keys: only an empty node can be used'],
    [{ keys: undefined }, '10.0.0.1:7000: its key count could not be read'],
    [{ knownNodes: 4 }, '10.0.0.1:7000 knows 3 other nodes: it already belongs to a cluster'],
    [{ slotsAssigned: 12 }, '10.0.0.1:7000 has 12 slots assigned'],
    [{ nodeId: undefined }, '10.0.0.1:7000 did not report its node id'],
    [{ configEpoch: 5 }, '10.0.0.1:7000 has config epoch 5: run CLUSTER RESET HARD on it first'],
    [{ currentEpoch: 7 }, '10.0.0.1:7000 has current epoch 7: run CLUSTER RESET HARD on it first'],
    [{ passwordless: true }, '10.0.0.1:7000 accepts connections without a password'],
  ])('refuses %o naming the node', (change, message) => {
    expect(createNodeRefusal({ ...empty('10.0.0.1:7000', 'a'.repeat(40)), ...change })).toContain(message);
  });

  it('refuses two addresses of the same node', () => {
    const id = 'b'.repeat(40);
    expect(createNodesRefusals([empty('127.0.0.1:7000', id), empty('localhost:7000', id)])).toEqual([
      `127.0.0.1:7000 and localhost:7000 are the same node (node id ${id})`,
    ]);
  });
});

describe('createNodesRefusals: passwords and our own clusters', () => {
  const noauth = (addr: string): TargetCheckResult => ({
    addr,
    member: false,
    reachable: false,
    error: 'authentication required: the node wants a password (NOAUTH Authentication required.)',
    readyToJoin: false,
  });

  it('says a NOAUTH node asks for a password, never that it does not answer', () => {
    const one = createNodeRefusal(noauth('10.0.0.1:7000'));
    expect(one).toMatch(/^10\.0\.0\.1:7000 asks for a password \(NOAUTH\)/);
    expect(one).not.toMatch(/does not answer/);
  });

  it('groups the nodes that want a password into one line naming the login to choose', () => {
    const nodes = [noauth('h:1'), noauth('h:2'), noauth('h:3'), empty('h:4', 'd'.repeat(40))];
    expect(createNodesRefusals(nodes, { loginHint: 'same as Dev (dev)' })).toEqual([
      "3 nodes want a password (NOAUTH: h:1, h:2, h:3): choose 'same as Dev (dev)' or type one under 'Login on the new nodes'",
    ]);
    expect(createNodesRefusals([noauth('h:1')])[0]).toMatch(/^1 node wants a password .*type one under/);
  });

  it('says a node that knows others is of the cluster a create job of ours made', () => {
    const id = 'e'.repeat(40);
    const joined = { ...empty('h:1', id), knownNodes: 6 };
    const createdBy = [{ jobId: 'abcd', at: 'started 2026-01-01 12:00 UTC', nodeIds: [id] }];
    expect(createNodesRefusals([joined], { createdBy })[0]).toMatch(
      /^h:1 knows 5 other nodes: it already belongs to a cluster: the cluster create job abcd made \(started/,
    );
    expect(
      createNodesRefusals([joined], { createdBy: [{ ...createdBy[0], nodeIds: [] }] as typeof createdBy })[0],
    ).not.toMatch(/create job/);
  });
});

describe('changedSincePreview', () => {
  it('names a node whose id is not the one the preview read', () => {
    const nodes = [empty('h:1', 'a'.repeat(40)), empty('h:2', 'c'.repeat(40))];
    expect(changedSincePreview(nodes, { 'h:1': 'a'.repeat(40), 'h:2': 'b'.repeat(40) })).toEqual([
      `h:2 is node ${'c'.repeat(40)} now, not ${'b'.repeat(40)}`,
    ]);
  });
});

describe('layoutWarnings', () => {
  it('has none for 6 nodes on 3 hosts with 1 replica each', () => {
    expect(layoutWarnings(plan(['a:1', 'a:2', 'b:1', 'b:2', 'c:1', 'c:2'], 1))).toEqual([]);
  });

  it('warns, naming the replicas, when every node is on one host', () => {
    const warnings = layoutWarnings(plan(['a:1', 'a:2', 'a:3', 'a:4', 'a:5', 'a:6'], 1));
    expect(warnings[0]).toMatch(/^Some replicas are in the same host as their master: a:\d \(master a:\d\)/);
  });

  it('warns about nodes that join without slots', () => {
    // 19 nodes, 4 replicas per master: 3 masters, 12 replicas, 3 extra replicas (one per master), 1 left over.
    const nodes = Array.from({ length: 19 }, (_, i) => `${'abc'[i % 3]}:${7000 + i}`);
    const layout = plan(nodes, 4);
    expect(layout.unassigned).toHaveLength(1);
    expect(layoutWarnings(layout)).toContain(
      `${layout.unassigned[0]} joins as master without slots (more nodes than masters × (replicas + 1) can use)`,
    );
  });
});
