import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../cluster/types';
import { type CandidateFacts, defaultMaster, planAddNode } from './addNode';
import { testNode, testSnapshot } from './testNodes';

const node = testNode;
const replicaOf = (id: string, addr: string, masterId: string) =>
  node(id, addr, { role: 'replica', masterId, flags: ['slave'] });

const snapshot = testSnapshot;

// Three hosts, one master each; a has one replica, b and c none.
const cluster = snapshot([
  node('a', '127.0.0.1:7001', { slots: [[0, 5460]] }),
  node('b', '127.0.0.2:7002', { slots: [[5461, 10922]] }),
  node('c', '127.0.0.3:7003', { slots: [[10923, 16383]] }),
  replicaOf('a1', '127.0.0.2:7004', 'a'),
]);

const fresh = (addr: string, over: Partial<CandidateFacts> = {}): CandidateFacts => ({
  addr,
  member: false,
  reachable: true,
  clusterEnabled: true,
  nodeId: 'new',
  knownNodes: 1,
  slotsAssigned: 0,
  keys: 0,
  readyToJoin: true,
  ...over,
});

describe('planAddNode: refusals', () => {
  const refused = (facts: CandidateFacts) => {
    const out = planAddNode(cluster, facts, { addr: facts.addr, role: 'master' });
    return out.ok ? undefined : out.reason;
  };
  it('refuses a node holding keys, saying how many', () => {
    expect(refused(fresh('127.0.0.9:7009', { keys: 3 }))).toMatch(/holds 3 keys.*empty/);
  });
  it('refuses a node that knows other nodes (another cluster)', () => {
    expect(refused(fresh('127.0.0.9:7009', { knownNodes: 6 }))).toMatch(/knows 5 other nodes.*belongs to a cluster/);
  });
  it('refuses a node that is not cluster-enabled', () => {
    expect(refused(fresh('127.0.0.9:7009', { clusterEnabled: false }))).toMatch(/not cluster-enabled/);
  });
  it('refuses an unreachable node with its error', () => {
    expect(refused(fresh('127.0.0.9:7009', { reachable: false, error: 'ECONNREFUSED' }))).toMatch(
      /does not answer: ECONNREFUSED/,
    );
  });
  it('refuses a current member, by address or by id', () => {
    expect(refused(fresh('127.0.0.2:7002', { member: true }))).toMatch(/already a member/);
    expect(refused(fresh('127.0.0.9:7009', { nodeId: 'b' }))).toMatch(/already a member/);
  });
  it('refuses when the key count is unknown, and a node with slots', () => {
    expect(refused(fresh('127.0.0.9:7009', { keys: undefined }))).toMatch(/key count could not be read/);
    expect(refused(fresh('127.0.0.9:7009', { slotsAssigned: 10 }))).toMatch(/10 slots assigned/);
  });
});

describe('planAddNode: master', () => {
  it('MEETs through the master of the lowest slot', () => {
    const out = planAddNode(cluster, fresh('127.0.0.9:7009'), { addr: '127.0.0.9:7009', role: 'master' });
    expect(out).toEqual({
      ok: true,
      plan: {
        addr: '127.0.0.9:7009',
        nodeId: 'new',
        role: 'master',
        members: ['a', 'b', 'c', 'a1'],
        meetVia: { id: 'a', addr: '127.0.0.1:7001' },
        notes: [],
      },
    });
  });
});

describe('planAddNode: the cluster and the candidate as redis-cli checks them', () => {
  const master = { addr: '127.0.0.9:7009', role: 'master' as const };
  const reason = (snap: ClusterSnapshot, facts = fresh('127.0.0.9:7009')) => {
    const out = planAddNode(snap, facts, master);
    return out.ok ? 'planned' : out.reason;
  };
  it('refuses a cluster that is not ok, not fully covered, has open slots or disagrees', () => {
    expect(reason({ ...cluster, status: 'fail' })).toMatch(/cluster_state:fail/);
    expect(reason({ ...cluster, summary: { ...cluster.summary, slotsCovered: 16000 } })).toMatch(
      /384 slots are not served/,
    );
    const open = snapshot([
      node('a', '127.0.0.1:7001', { slots: [[0, 5460]], migrating: [{ slot: 7, to: 'b' }] }),
      node('b', '127.0.0.2:7002', { slots: [[5461, 16383]] }),
    ]);
    expect(reason(open)).toMatch(/slots are open .* on 127\.0\.0\.1:7001/);
    const split = snapshot([
      node('a', '127.0.0.1:7001', { slots: [[0, 8191]], viewSignature: 'x' }),
      node('b', '127.0.0.2:7002', { slots: [[8192, 16383]], viewSignature: 'y' }),
    ]);
    expect(reason(split)).toMatch(/disagree/);
  });
  it('refuses a node open without a password, one outside nodeNetworks, one whose known nodes are unknown', () => {
    expect(reason(cluster, fresh('127.0.0.9:7009', { passwordless: true }))).toMatch(/without a password/);
    expect(reason(cluster, fresh('127.0.0.9:7009', { pollable: false }))).toMatch(
      /outside this cluster's nodeNetworks/,
    );
    expect(reason(cluster, fresh('127.0.0.9:7009', { knownNodes: undefined }))).toMatch(/cluster_known_nodes/);
  });
  it('compares hosts where the dashboard dials them (natMap applied)', () => {
    const natted = snapshot([
      node('a', '10.0.0.1:7001', { connectAddr: '127.0.0.1:7001', slots: [[0, 8191]] }),
      node('b', '10.0.0.2:7002', { connectAddr: '127.0.0.2:7002', slots: [[8192, 16383]] }),
    ]);
    const out = planAddNode(natted, fresh('127.0.0.1:7009'), { addr: '127.0.0.1:7009', role: 'replica' });
    expect(out.ok && out.plan.master?.id).toBe('b');
  });
});

describe('planAddNode: replica, default master', () => {
  const plan = (addr: string, snap = cluster) => {
    const out = planAddNode(snap, fresh(addr), { addr, role: 'replica' });
    if (!out.ok) throw new Error(out.reason);
    return out.plan;
  };
  it('takes the master with fewest replicas, lowest slot first on a tie', () => {
    // b and c have no replica; b holds the lower slots.
    expect(plan('127.0.0.1:7009').master).toEqual({ id: 'b', addr: '127.0.0.2:7002', replicas: 0, sameHost: false });
  });
  it('never the master on the new node’s host, even when it has fewest replicas', () => {
    // On b's host: c is the only replica-less master elsewhere.
    expect(plan('127.0.0.2:7009').master?.id).toBe('c');
  });
  it('skips failing and slot-less masters', () => {
    const snap = snapshot([
      ...cluster.nodes.filter((n) => n.id !== 'b'),
      node('b', '127.0.0.2:7002', { slots: [[5461, 10922]], flags: ['master', 'fail'], reachable: false }),
      node('e', '127.0.0.4:7005'),
    ]);
    expect(plan('127.0.0.1:7009', snap).master?.id).toBe('c');
  });
  it('refuses when every master shares the new node’s host', () => {
    const snap = snapshot([node('a', '127.0.0.1:7001', { slots: [[0, 16383]] })]);
    const out = planAddNode(snap, fresh('127.0.0.1:7009'), { addr: '127.0.0.1:7009', role: 'replica' });
    expect(out).toEqual({ ok: false, reason: expect.stringMatching(/choose a master explicitly/) });
  });
  it('ties broken by id when slots are equal (none)', () => {
    const nodes = [node('z', '10.0.0.1:1'), node('y', '10.0.0.2:1')];
    expect(
      defaultMaster(
        nodes.map((n) => ({ ...n, slots: [[1, 1]] })),
        '10.0.0.3:1',
      )?.id,
    ).toBe('y');
  });
});

describe('planAddNode: replica, chosen master', () => {
  it('accepts a chosen master on the same host with a note', () => {
    const out = planAddNode(cluster, fresh('127.0.0.1:7009'), {
      addr: '127.0.0.1:7009',
      role: 'replica',
      masterId: 'a',
    });
    expect(out.ok && out.plan.master).toEqual({ id: 'a', addr: '127.0.0.1:7001', replicas: 1, sameHost: true });
    expect(out.ok && out.plan.notes[0]).toMatch(/same host/);
  });
  it('refuses a chosen replica or unknown id', () => {
    const r = planAddNode(cluster, fresh('127.0.0.9:7009'), {
      addr: '127.0.0.9:7009',
      role: 'replica',
      masterId: 'a1',
    });
    expect(r.ok).toBe(false);
    const u = planAddNode(cluster, fresh('127.0.0.9:7009'), { addr: '127.0.0.9:7009', role: 'replica', masterId: 'q' });
    expect(u).toEqual({ ok: false, reason: 'no node q in this cluster' });
  });
});
