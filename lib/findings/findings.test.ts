import { describe, expect, it } from 'vitest';
import { evaluateFindings } from './index';
import { healthy, id, infoWith, node, withNode } from './snapshotFixture';

const codes = (s: Parameters<typeof evaluateFindings>[0]) => evaluateFindings(s).map((f) => f.code);

describe('findings on a healthy cluster', () => {
  it('finds nothing', () => {
    expect(evaluateFindings(healthy())).toEqual([]);
  });
});

describe('slot findings', () => {
  it('reports uncovered slots with the list', () => {
    const s = withNode(healthy(), 1, { slots: [[3, 5460]], slotCount: 5458 });
    const f = evaluateFindings(s).find((x) => x.code === 'slots_uncovered');
    expect(f).toMatchObject({ severity: 'critical', slots: [0, 1, 2] });
    expect(f?.message).toContain('0-2');
  });

  it('reports a slot claimed by two reachable nodes', () => {
    const s = withNode(healthy(), 2, { slots: [[5000, 10922]], slotCount: 5923 });
    const f = evaluateFindings(s).find((x) => x.code === 'slot_multiple_owners');
    expect(f?.nodeIds.sort()).toEqual([id(1), id(2)]);
    expect(f?.slots?.length).toBe(461);
  });

  it('reports open slots on each node that has them', () => {
    let s = withNode(healthy(), 1, { migrating: [{ slot: 100, to: id(2) }] });
    s = withNode(s, 2, { importing: [{ slot: 100, from: id(1) }] });
    const open = evaluateFindings(s).filter((x) => x.code === 'slot_open');
    expect(open.map((f) => f.message)).toEqual([
      expect.stringMatching(/10\.0\.0\.1:7001 .* migrating state 100/),
      expect.stringMatching(/10\.0\.0\.2:7002 .* importing state 100/),
    ]);
  });

  it('reports slots whose master is suspected (PFAIL: warning) or down (FAIL: critical) before the failover', () => {
    const s = withNode(healthy(), 3, { reachable: false, flags: ['master', 'fail?'], info: undefined });
    expect(codes(s)).toEqual(expect.arrayContaining(['slots_unserved', 'node_pfail']));
    expect(evaluateFindings(s).find((f) => f.code === 'slots_unserved')?.severity).toBe('warning');
    const failed = withNode(healthy(), 3, { reachable: false, flags: ['master', 'fail'], info: undefined });
    expect(evaluateFindings(failed).find((f) => f.code === 'slots_unserved')?.severity).toBe('critical');
  });

  it('never calls a master down only because the dashboard cannot reach it', () => {
    const s = withNode(healthy(), 3, { reachable: false, info: undefined, error: 'connect ECONNREFUSED' });
    expect(codes(s)).toEqual(['unreachable_from_dashboard']);
  });
});

describe('state, agreement and node health', () => {
  it('reports cluster_state:fail and an unknown state', () => {
    expect(codes({ ...healthy(), status: 'fail' })).toContain('cluster_state_fail');
    const nobody = { ...healthy(), status: 'unknown' as const, nodes: [] };
    expect(codes({ ...nobody, summary: { ...nobody.summary, reachable: 0 } })).toEqual(['no_node_reachable']);
    // Every node answers, but CLUSTER INFO is refused: the state is unreadable, not "no node answers".
    expect(codes({ ...healthy(), status: 'unknown' })).toEqual(['cluster_state_unreadable']);
  });

  it('reports the nodes whose view differs from the majority', () => {
    const s = withNode(healthy(), 5, { viewSignature: 'other' });
    expect(evaluateFindings(s).find((f) => f.code === 'config_disagreement')?.nodeIds).toEqual([id(5)]);
  });

  it('reports FAIL masters as critical and a FAIL old master without slots as a warning', () => {
    const failed = withNode(healthy(), 2, { flags: ['master', 'fail'], reachable: false, info: undefined });
    expect(evaluateFindings(failed).find((f) => f.code === 'node_fail')?.severity).toBe('critical');
    const old = withNode(healthy(), 2, {
      flags: ['master', 'fail'],
      reachable: false,
      slots: [],
      slotCount: 0,
      info: undefined,
    });
    expect(evaluateFindings(old).find((f) => f.code === 'node_fail')?.severity).toBe('warning');
  });

  it('tells a node the dashboard cannot reach from one the cluster cannot reach', () => {
    const hidden = withNode(healthy(), 4, { reachable: false, error: 'connect ETIMEDOUT', info: undefined });
    expect(codes(hidden)).toContain('unreachable_from_dashboard');
    const busDown = withNode(healthy(), 4, { flags: ['slave', 'fail?'] });
    expect(codes(busDown)).toContain('reachable_but_failed');
  });

  it('reports a replication link down and a lagging replica', () => {
    const down = withNode(healthy(), 4, { info: infoWith({ master_link_status: 'down', slave_repl_offset: 0 }) });
    expect(evaluateFindings(down).find((f) => f.code === 'replication_link_down')?.nodeIds).toEqual([id(4), id(1)]);
    const lagging = withNode(healthy(), 4, {
      info: infoWith({ master_link_status: 'up', slave_repl_offset: 1000 - 2 * 1024 * 1024 }),
    });
    expect(evaluateFindings(lagging).find((f) => f.code === 'replication_lag')?.message).toContain('2.0 MiB behind');
  });

  it('reports a master without a working replica', () => {
    const noReplica = { ...healthy(), nodes: healthy().nodes.filter((n) => n.id !== id(4)) };
    expect(evaluateFindings(noReplica).find((f) => f.code === 'master_no_replica')?.nodeIds).toEqual([id(1)]);
    const brokenReplica = withNode(healthy(), 4, { flags: ['slave', 'fail'], reachable: false, info: undefined });
    expect(evaluateFindings(brokenReplica).find((f) => f.code === 'master_no_replica')?.message).toMatch(
      /no working replica/,
    );
  });
});

describe('placement', () => {
  it('reports a replica on its master host, and the host then holding the whole shard', () => {
    const s = withNode(healthy(), 4, { host: '10.0.0.1', addr: '10.0.0.1:7004' });
    expect(codes(s)).toEqual(expect.arrayContaining(['replica_same_host', 'host_holds_whole_shard']));
  });

  it('reports a host that holds a majority of masters', () => {
    const s = withNode(healthy(), 2, { host: '10.0.0.1', addr: '10.0.0.1:7002' });
    expect(
      evaluateFindings(s)
        .find((f) => f.code === 'host_holds_master_majority')
        ?.nodeIds.sort(),
    ).toEqual([id(1), id(2)]);
  });

  it('groups by hostname when nodes announce one', () => {
    const s = withNode(withNode(healthy(), 4, { hostname: 'rack-a' }), 1, { hostname: 'rack-a' });
    expect(codes(s)).toContain('replica_same_host');
  });
});

describe('resources and config', () => {
  it('reports memory above 90% and a full node as critical', () => {
    const high = withNode(healthy(), 1, { info: infoWith({ used_memory: 950, maxmemory: 1000 }) });
    expect(evaluateFindings(high).find((f) => f.code === 'memory_high')?.severity).toBe('warning');
    const full = withNode(healthy(), 1, { info: infoWith({ used_memory: 1000, maxmemory: 1000 }) });
    expect(evaluateFindings(full).find((f) => f.code === 'memory_high')?.severity).toBe('critical');
  });

  it('reports evictions and masters without maxmemory', () => {
    const s = withNode(healthy(), 2, { info: infoWith({ evicted_keys: 12, maxmemory: 0 }), evictedPerSec: 3 });
    expect(codes(s)).toEqual(expect.arrayContaining(['evictions', 'maxmemory_unset']));
  });

  it('reports evictions only while they happen, not for the lifetime counter', () => {
    const past = withNode(healthy(), 2, { info: infoWith({ evicted_keys: 12 }), evictedPerSec: 0 });
    expect(codes(past)).not.toContain('evictions');
    const unknown = withNode(healthy(), 2, { info: infoWith({ evicted_keys: 12 }) });
    expect(codes(unknown)).not.toContain('evictions');
  });

  it('reports cluster-node-timeout and cluster-require-full-coverage differing between nodes', () => {
    const s = withNode(healthy(), 6, {
      clusterConfig: { 'cluster-node-timeout': '5000', 'cluster-require-full-coverage': 'no' },
    });
    const mismatches = evaluateFindings(s).filter((f) => f.code === 'config_mismatch');
    expect(mismatches.map((f) => f.message)).toEqual([
      'cluster-node-timeout differs between nodes (15000 on 5, 5000 on 1).',
      'cluster-require-full-coverage differs between nodes (yes on 5, no on 1).',
    ]);
    expect(mismatches[0]?.nodeIds).toEqual([id(6)]);
  });

  it('sorts critical first', () => {
    const s = withNode(withNode(healthy(), 2, { info: infoWith({ evicted_keys: 1 }), evictedPerSec: 1 }), 1, {
      slots: [[1, 5460]],
      slotCount: 5460,
    });
    expect(evaluateFindings(s).map((f) => f.severity)).toEqual(['critical', 'warning']);
  });
});

it('node() fixture keeps its shape', () => {
  expect(node(1, 'h', 'master').slotCount).toBe(0);
});
