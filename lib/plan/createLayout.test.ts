import { describe, expect, it } from 'vitest';
import { slotCount } from '../redis/slots';
import { type CreateLayoutPlan, createSlotRanges, interleaveByHost, planCreateLayout } from './createLayout';

function nodesOn(hosts: readonly string[], perHost: number, firstPort = 7000): string[] {
  // Grouped by host, as an operator often lists them: the planner must interleave them itself.
  return hosts.flatMap((host) => Array.from({ length: perHost }, (_, i) => `${host}:${firstPort + i}`));
}

function planFor(nodes: readonly string[], replicasPerMaster: number): CreateLayoutPlan {
  const result = planCreateLayout({ nodes, replicasPerMaster });
  if (!result.ok) throw new Error(result.refusals.map((r) => r.message).join('; '));
  return result.plan;
}

function hostOf(addr: string): string {
  return addr.slice(0, addr.lastIndexOf(':'));
}

function expectNoReplicaOnItsMastersHost(plan: CreateLayoutPlan): void {
  for (const replica of plan.replicas) expect(hostOf(replica.master), replica.addr).not.toBe(replica.host);
  expect(plan.antiAffinity.replicasOnMasterHost).toBe(0);
}

describe('createSlotRanges', () => {
  // Expected values: redis-cli's arithmetic (float step 16384/n, last = lround(cursor + step - 1)) compiled in C.
  it.each([
    [
      3,
      [
        [0, 5460],
        [5461, 10922],
        [10923, 16383],
      ],
    ],
    [
      4,
      [
        [0, 4095],
        [4096, 8191],
        [8192, 12287],
        [12288, 16383],
      ],
    ],
    [
      5,
      [
        [0, 3276],
        [3277, 6553],
        [6554, 9829],
        [9830, 13106],
        [13107, 16383],
      ],
    ],
    [
      7,
      [
        [0, 2340],
        [2341, 4680],
        [4681, 7021],
        [7022, 9361],
        [9362, 11702],
        [11703, 14042],
        [14043, 16383],
      ],
    ],
  ])('%i masters get the ranges redis-cli prints', (masters, expected) => {
    expect(createSlotRanges(masters)).toEqual(expected);
  });

  it('keeps redis-cli single-precision cursor: 78 masters, master 67 ends at 14283 (double precision says 14282)', () => {
    expect(createSlotRanges(78)[67]).toEqual([14073, 14283]);
  });

  it('covers every slot once for 100 masters, starting like redis-cli (0-163, 164-327, 328-491, 492-654)', () => {
    const ranges = createSlotRanges(100);
    expect(ranges.slice(0, 4)).toEqual([
      [0, 163],
      [164, 327],
      [328, 491],
      [492, 654],
    ]);
    expect(slotCount(ranges)).toBe(16384);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]?.[0]).toBe((ranges[i - 1]?.[1] ?? -2) + 1);
  });
});

describe('interleaveByHost', () => {
  it('takes one node per host in turn, hosts in order of first appearance', () => {
    const nodes = ['b:1', 'a:1', 'b:2', 'b:3', 'a:2', 'c:1'].map((addr) => ({ addr, host: hostOf(addr) }));
    expect(interleaveByHost(nodes).map((n) => n.addr)).toEqual(['b:1', 'a:1', 'c:1', 'b:2', 'a:2', 'b:3']);
  });
});

describe('planCreateLayout', () => {
  it('6 nodes on 3 hosts, 1 replica: masters one per host, replicas as redis-cli first assigns them', () => {
    const plan = planFor(nodesOn(['10.0.0.1', '10.0.0.2', '10.0.0.3'], 2), 1);
    expect(plan.masters.map((m) => [m.addr, m.slots])).toEqual([
      ['10.0.0.1:7000', [0, 5460]],
      ['10.0.0.2:7000', [5461, 10922]],
      ['10.0.0.3:7000', [10923, 16383]],
    ]);
    // Non-masters interleaved are .1:7001 .2:7001 .3:7001, rotated left by one before assignment.
    expect(plan.replicas.map((r) => [r.addr, r.master])).toEqual([
      ['10.0.0.1:7001', '10.0.0.3:7000'],
      ['10.0.0.2:7001', '10.0.0.1:7000'],
      ['10.0.0.3:7001', '10.0.0.2:7000'],
    ]);
    expect(plan.antiAffinity).toEqual({ score: 0, replicasOnMasterHost: 0 });
    expect(plan.unassigned).toEqual([]);
  });

  it('8 nodes on 4 hosts with 1 replica each: no replica on its master host', () => {
    const plan = planFor(nodesOn(['h1', 'h2', 'h3', 'h4'], 2), 1);
    expect(plan.masters.map((m) => m.host)).toEqual(['h1', 'h2', 'h3', 'h4']);
    expect(plan.replicas).toHaveLength(4);
    expectNoReplicaOnItsMastersHost(plan);
  });

  it('9 nodes on 3 hosts with 2 replicas: no replica on its master host, and replicas of one master spread', () => {
    const plan = planFor(nodesOn(['h1', 'h2', 'h3'], 3), 2);
    expect(plan.masters).toHaveLength(3);
    expect(plan.replicas).toHaveLength(6);
    expectNoReplicaOnItsMastersHost(plan);
    expect(plan.antiAffinity.score).toBe(0);
    for (const master of plan.masters) {
      const hosts = plan.replicas.filter((r) => r.master === master.addr).map((r) => r.host);
      expect(new Set(hosts).size).toBe(2);
    }
  });

  it('gives the leftover nodes one extra replica per master, in master order (7 nodes, 1 replica)', () => {
    const plan = planFor(nodesOn(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'], 1), 1);
    expect(plan.masters).toHaveLength(3);
    const perMaster = plan.masters.map((m) => plan.replicas.filter((r) => r.master === m.addr).length);
    expect(perMaster).toEqual([2, 1, 1]);
  });

  it('lets nodes beyond one extra per master join without slots (19 nodes, 4 replicas: 3 masters, 15 replicas)', () => {
    const plan = planFor(nodesOn(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9', 'h10'], 2).slice(0, 19), 4);
    expect(plan.masters).toHaveLength(3);
    expect(plan.replicas).toHaveLength(15);
    expect(plan.unassigned).toHaveLength(1);
  });

  it('keeps replicas on their master host only when the hosts leave no choice', () => {
    const single = planFor(nodesOn(['only'], 6), 1);
    expect(single.antiAffinity).toEqual({ score: 30000, replicasOnMasterHost: 3 });
    // Host a holds 3 masters' worth of demand but only 1 replica lives elsewhere: at best 2 stay on host a.
    const skewed = planFor(['a:1', 'a:2', 'a:3', 'a:4', 'a:5', 'b:1'], 1);
    expect(skewed.antiAffinity.replicasOnMasterHost).toBe(2);
  });

  it('reaches no replica on its master host whenever the per-host demand allows it (exhaustive small cases)', () => {
    let checked = 0;
    for (const replicas of [1, 2]) {
      for (const spread of hostSpreads(12, 4)) {
        const nodes = spread.flatMap((count, h) => Array.from({ length: count }, (_, i) => `h${h}:${7000 + i}`));
        if (Math.floor(nodes.length / (replicas + 1)) < 3) continue;
        // Node order grouped by host, and a scrambled order: both must plan the same guarantee.
        for (const order of [nodes, [...nodes].reverse()]) {
          const plan = planFor(order, replicas);
          if (conflictFreeLayoutExists(plan)) expectNoReplicaOnItsMastersHost(plan);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('previews by host exactly the masters, replicas and unassigned nodes of the plan', () => {
    const plan = planFor(nodesOn(['h1', 'h2', 'h3'], 3), 2);
    expect(plan.byHost.map((h) => h.host)).toEqual(['h1', 'h2', 'h3']);
    expect(plan.byHost.flatMap((h) => h.masters).sort()).toEqual(plan.masters.map((m) => m.addr).sort());
    expect(plan.byHost.flatMap((h) => h.replicas).sort((a, b) => a.addr.localeCompare(b.addr))).toEqual(
      plan.replicas.map((r) => ({ addr: r.addr, master: r.master })).sort((a, b) => a.addr.localeCompare(b.addr)),
    );
    for (const host of plan.byHost) for (const r of host.replicas) expect(hostOf(r.addr)).toBe(host.host);
  });

  it('is deterministic', () => {
    const nodes = ['a:1', 'a:2', 'a:3', 'b:1', 'b:2', 'c:1', 'c:2', 'c:3', 'd:1'];
    expect(planFor(nodes, 2)).toEqual(planFor(nodes, 2));
  });
});

describe('planCreateLayout refusals', () => {
  it('refuses fewer than 3 masters, naming the nodes needed, as redis-cli does', () => {
    const result = planCreateLayout({ nodes: nodesOn(['h1', 'h2'], 2).slice(0, 5), replicasPerMaster: 1 });
    expect(result).toEqual({
      ok: false,
      refusals: [expect.objectContaining({ code: 'too-few-masters', message: expect.stringContaining('At least 6') })],
    });
    expect(planCreateLayout({ nodes: ['a:1', 'a:2'], replicasPerMaster: 0 }).ok).toBe(false);
  });

  it('refuses invalid and duplicate addresses and a bad replica count', () => {
    const nodes = ['a:1', 'a:1', 'nohost', ':7000', 'b:99999', 'c:3'];
    const result = planCreateLayout({ nodes, replicasPerMaster: 0 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusals.map((r) => r.code).sort()).toEqual([
      'duplicate-address',
      'invalid-address',
      'invalid-address',
      'invalid-address',
    ]);
    for (const replicasPerMaster of [-1, 1.5]) {
      const bad = planCreateLayout({ nodes: nodesOn(['h1', 'h2', 'h3'], 2), replicasPerMaster });
      expect(bad.ok ? [] : bad.refusals.map((r) => r.code)).toEqual(['invalid-replicas']);
    }
  });

  it('accepts a node count not divisible by replicas + 1, as redis-cli does', () => {
    expect(
      planCreateLayout({ nodes: nodesOn(['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'], 1), replicasPerMaster: 1 }).ok,
    ).toBe(true);
  });

  it('splits an IPv6 address at its last colon', () => {
    const plan = planFor(['::1:7000', '::1:7001', '::1:7002'], 0);
    expect(plan.masters.map((m) => m.host)).toEqual(['::1', '::1', '::1']);
  });
});

/** Every way to put `total` or fewer nodes (at least 3) on up to `hosts` hosts, as non-increasing per-host counts. */
function hostSpreads(total: number, hosts: number): number[][] {
  const out: number[][] = [];
  const walk = (prefix: number[], max: number, left: number) => {
    if (prefix.length > 0 && prefix.reduce((a, b) => a + b, 0) >= 3) out.push(prefix);
    if (prefix.length === hosts) return;
    for (let n = Math.min(max, left); n >= 1; n--) walk([...prefix, n], n, left - n);
  };
  walk([], total, total);
  return out;
}

/**
 * Hall's condition for this bipartite assignment: with the plan's per-master replica counts fixed, a layout with no
 * replica on its master's host exists iff, for every host, the replicas wanted by its masters fit on the others.
 */
function conflictFreeLayoutExists(plan: CreateLayoutPlan): boolean {
  const hosts = new Set(plan.masters.map((m) => m.host));
  for (const host of hosts) {
    const wanted = plan.replicas.filter((r) => hostOf(r.master) === host).length;
    const elsewhere = plan.replicas.filter((r) => r.host !== host).length;
    if (wanted > elsewhere) return false;
  }
  return true;
}
