import { describe, expect, it } from 'vitest';
import { evaluateFindings } from '../findings';
import { healthy, id, infoWith, withNode } from '../findings/snapshotFixture';
import {
  clusterGlance,
  formatMemoryPct,
  mastersWithSlots,
  memoryGlance,
  memoryTone,
  shardGlances,
  staleGlance,
} from './glance';

const glance = (s = healthy(), options = {}) => clusterGlance(s, evaluateFindings(s), options);

describe('clusterGlance', () => {
  it('a healthy cluster: OK, every node up, 3 masters with slots, every shard up', () => {
    const g = glance();
    expect(g.health.health).toBe('ok');
    expect(g.detail).toBe('every slot served, nothing needs attention');
    expect([g.nodesUp, g.nodesKnown, g.nodesNotPolled, g.masters]).toEqual([6, 6, 0, 3]);
    expect(g.shards.map((s) => s.state)).toEqual(['up', 'up', 'up']);
    expect(g.shards.map((s) => s.slotLabel)).toEqual(['0–5460', '5461–10922', '10923–16383']);
  });

  it('a hung master (unreachable, then PFAIL, then FAIL) is never OK and its shard says so in words', () => {
    const hung = withNode(healthy(), 2, { reachable: false, info: undefined, error: 'timeout' });
    const g = glance({ ...hung, summary: { ...hung.summary, reachable: 5 } });
    expect(g.health.health).not.toBe('ok');
    expect(g.detail).toMatch(/5,462 slots/);
    expect(g.nodesUp).toBe(5);
    expect(g.shards.map((s) => s.state)).toEqual(['up', 'unreachable', 'up']);
    expect(shardGlances(withNode(hung, 2, { flags: ['master', 'fail?'] }))[1]?.state).toBe('suspected');
    expect(shardGlances(withNode(hung, 2, { flags: ['master', 'fail'] }))[1]?.state).toBe('down');
  });

  it('counts nodes outside nodeNetworks apart: not polled is neither up nor down, and their shards say so', () => {
    const outside = { reachable: false, info: undefined, outsideNodeNetworks: true as const, error: 'not polled' };
    let s = healthy();
    for (const n of [2, 5, 3, 6]) s = withNode(s, n, outside);
    const g = glance({ ...s, summary: { ...s.summary, reachable: 2 } });
    expect([g.nodesUp, g.nodesKnown, g.nodesNotPolled]).toEqual([2, 2, 4]);
    expect(g.shards.map((sh) => sh.state)).toEqual(['up', 'notPolled', 'notPolled']);

    // Only the replica is outside: the shard may well have a replica to take over; the dashboard cannot tell.
    const replicaOutside = withNode(healthy(), 4, outside);
    const r = glance({ ...replicaOutside, summary: { ...replicaOutside.summary, reachable: 5 } });
    expect([r.nodesUp, r.nodesKnown, r.nodesNotPolled]).toEqual([5, 5, 1]);
    expect(r.shards.map((sh) => sh.state)).toEqual(['notPolled', 'up', 'up']);
    // A replica that is polled and does not answer still leaves its master with no replica.
    const replicaDown = withNode(healthy(), 4, { reachable: false, info: undefined, error: 'timeout' });
    expect(shardGlances(replicaDown)[0]?.state).toBe('noReplica');
    // What the cluster says comes first: a FAILed master outside nodeNetworks is down.
    expect(shardGlances(withNode(s, 2, { flags: ['master', 'fail'] }))[1]?.state).toBe('down');
  });

  it('stale data is UNKNOWN, never the old green', () => {
    const g = glance(healthy(), { stale: true, staleSince: '14:02:11' });
    expect(g.health.health).toBe('unknown');
    expect(g.detail).toMatch(/since 14:02:11/);
  });

  it('counts masters as the cluster page does: cluster_size when Redis gives it, else masters owning slots', () => {
    const s = healthy();
    // A master with no slots (e.g. just added, or an old master after a failover) is not counted.
    const extra = { ...s, nodes: [...s.nodes, { ...s.nodes[0], id: id(7), slots: [], slotCount: 0 }] } as typeof s;
    expect(mastersWithSlots(extra as typeof s)).toBe(3);
    expect(mastersWithSlots({ ...extra, state: { ...extra.state, cluster_size: 4 } })).toBe(4);
  });

  it('sums ops/s over the masters that answered, not their replicas replaying the same writes', () => {
    const s = withNode(withNode(healthy(), 1, { info: infoWith({ instantaneous_ops_per_sec: 100 }) }), 4, {
      info: infoWith({ instantaneous_ops_per_sec: 25 }),
    });
    // id 1 is a master, id 4 its replica (snapshotFixture)
    expect(glance(s).opsPerSec).toBe(100);
  });
});

describe('memory', () => {
  it('sums used / maxmemory over the masters that have maxmemory set', () => {
    const s = withNode(withNode(healthy(), 1, { info: infoWith({ used_memory: 900, maxmemory: 1000 }) }), 2, {
      info: infoWith({ used_memory: 500, maxmemory: 0 }),
    });
    const s2 = withNode(s, 3, { info: infoWith({ used_memory: 100, maxmemory: 1000 }) });
    const m = memoryGlance(s2.nodes);
    expect(m).toEqual({ used: 1000, max: 2000, ratio: 0.5, masters: 2 });
    expect(formatMemoryPct(m)).toBe('50 %');
    expect(memoryTone(m)).toBeUndefined();
  });

  it('says "no maxmemory" when no master has one', () => {
    let s = healthy();
    for (const n of [1, 2, 3]) s = withNode(s, n, { info: infoWith({ maxmemory: 0 }) });
    expect(memoryGlance(s.nodes)).toBeUndefined();
    expect(formatMemoryPct(undefined)).toBe('no maxmemory');
  });

  it('warns from 90 % and is critical when full', () => {
    expect(memoryTone({ used: 95, max: 100, ratio: 0.95, masters: 1 })).toBe('warn');
    expect(memoryTone({ used: 100, max: 100, ratio: 1, masters: 1 })).toBe('crit');
    expect(formatMemoryPct({ used: 5, max: 100, ratio: 0.05, masters: 1 })).toBe('5.0 %');
  });
});

describe('staleGlance', () => {
  it('says what a glance made stale from its findings says, from the fresh glance alone', () => {
    const hung = withNode(healthy(), 2, { reachable: false, info: undefined, error: 'timeout' });
    const failed = withNode(hung, 2, { flags: ['master', 'fail'] });
    for (const s of [healthy(), hung, failed]) {
      const options = { stale: true, staleSince: '14:02:11' };
      const fromFindings = glance(s, options);
      const fromFresh = staleGlance(glance(s), '14:02:11');
      expect(fromFresh.health).toEqual({ ...fromFindings.health });
      expect(fromFresh.detail).toBe(fromFindings.detail);
    }
    expect(staleGlance(glance(failed), '14:02:11').detail).toMatch(/last seen DOWN: /);
  });
});
