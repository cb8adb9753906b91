// The simulator is only worth its figures if it looks like a real cluster: `redis-cli --cluster check` (an oracle
// nobody here wrote) and the dashboard's own findings must read a 30-node simulated cluster as they read a real one,
// through an open slot, PFAIL, FAIL with a promotion, the old master's return, a node down and a hung one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../../lib/cluster/types';
import { evaluateFindings } from '../../lib/findings';
import { parseClusterLinks } from '../../lib/redis/clusterLinks';
import { parseLatencyLatest } from '../../lib/redis/latency';
import { parseSlowlog } from '../../lib/redis/slowlog';
import { ClusterCollector } from '../../server/collect/collector';
import { connectTo } from '../devcluster/cluster';
import { collectUntil, resolvedClusterFor } from '../test/helpers';
import { redisCliCheck } from '../test/redisCliCheck';
import { type SimCluster, type SimNodeInfo, startSimCluster } from './index';

const PASSWORD = 'sim-consistency';
let sim: SimCluster;
let collector: ClusterCollector;

beforeAll(async () => {
  sim = await startSimCluster({ masters: 10, replicasPerMaster: 2, password: PASSWORD });
  collector = new ClusterCollector(resolvedClusterFor(sim, { nodeDeadlineMs: 1000 }));
});
afterAll(async () => {
  collector?.close();
  await sim?.stop();
});

const nodeIn = (s: ClusterSnapshot, n: SimNodeInfo) => s.nodes.find((x) => x.id === n.id);
const seed = () => sim.nodes[0]?.addr ?? '';
const codes = (s: ClusterSnapshot) => evaluateFindings(s).map((f) => f.code);

function pick(list: SimNodeInfo[], i: number): SimNodeInfo {
  const node = list[i];
  if (!node) throw new Error(`no node ${i}`);
  return node;
}

describe('a 30-node simulated cluster', () => {
  it('is a healthy cluster to redis-cli --cluster check and to the dashboard', async () => {
    const check = await redisCliCheck(seed(), PASSWORD);
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [], unreachable: [] });
    expect(Object.keys(check.replicasOf)).toHaveLength(10);
    expect(Object.values(check.replicasOf).every((n) => n === 2)).toBe(true);
    const snapshot = await collectUntil(collector, 'every node reachable', (s) => s.summary.reachable === 30);
    expect(snapshot.summary).toMatchObject({ nodes: 30, masters: 10, replicas: 20, slotsCovered: 16384 });
    expect(snapshot.status).toBe('ok');
    expect(codes(snapshot)).toEqual([]);
    // INFO replication follows the topology: each master counts its replicas, each replica's link is up.
    for (const node of snapshot.nodes) {
      if (node.role === 'master') expect(node.info?.connected_slaves).toBe(2);
      else expect(node.info?.master_link_status).toBe('up');
    }
  });

  it('answers what it does not simulate with an error, never silence; NOAUTH before AUTH', async () => {
    const first = pick(sim.nodes, 0);
    const admin = sim.client(first);
    await expect(admin.call('FLUSHALL')).rejects.toThrow(/unknown command 'FLUSHALL'/);
    await expect(admin.call('CLUSTER', 'SETSLOT', '1', 'STABLE')).rejects.toThrow(/does not change its topology/);
    await expect(admin.call('HELLO', '3')).rejects.toThrow(/NOPROTO/);
    expect(await admin.call('CLUSTER', 'COUNTKEYSINSLOT', '5')).toBe(0);
    expect(await admin.call('CLUSTER', 'MYID')).toBe(first.id);
    expect(await sim.clusterInfo(first)).toMatch(/^cluster_state:ok\r\n/);
    // The on-demand reads (node detail: slow log, links) parse with the dashboard's own parsers.
    expect(parseSlowlog(await admin.call('SLOWLOG', 'GET', '128'))).toHaveLength(3);
    expect(parseClusterLinks(await admin.call('CLUSTER', 'LINKS'))).toHaveLength(2 * 29);
    expect(parseLatencyLatest(await admin.call('LATENCY', 'LATEST'))).toEqual([]);
    const anonymous = connectTo(first.host, first.port);
    try {
      await expect(anonymous.call('CLUSTER', 'NODES')).rejects.toThrow(/NOAUTH/);
    } finally {
      anonymous.disconnect();
    }
  });

  it('shows an open slot as redis-cli does: MIGRATING on the source, IMPORTING on the target', async () => {
    const [from, to] = [pick(sim.masters, 0), pick(sim.masters, 1)];
    await sim.openSlot(100, from.id, to.id);
    const check = await redisCliCheck(seed(), PASSWORD);
    expect(check.openSlots).toEqual([100]);
    expect(check.migrating).toEqual({ [from.addr]: [100] });
    expect(check.importing).toEqual({ [to.addr]: [100] });
    const snapshot = await collector.collect();
    expect(nodeIn(snapshot, from)?.migrating).toEqual([{ slot: 100, to: to.id }]);
    expect(nodeIn(snapshot, to)?.importing).toEqual([{ slot: 100, from: from.id }]);
    expect(codes(snapshot)).toContain('slot_open');
    await sim.closeSlot(100);
    expect(codes(await collector.collect())).toEqual([]);
  });

  it('PFAIL, then FAIL with a promotion, then the old master back as a replica of the winner', async () => {
    const master = pick(sim.masters, 3);
    const slots = nodeIn(await collector.collect(), master)?.slots;
    await sim.flag(master.id, 'pfail');
    let snapshot = await collector.collect();
    expect(nodeIn(snapshot, master)?.flags).toContain('fail?');
    expect(Number(snapshot.state.cluster_slots_pfail)).toBe(slots?.reduce((n, [a, b]) => n + b - a + 1, 0));

    const [first, second] = sim.replicas.filter((r) => r.masterId === master.id);
    await sim.flag(master.id, 'fail', { promote: true });
    expect(first).toMatchObject({ role: 'master' });
    expect(second?.masterId).toBe(first?.id);
    snapshot = await collector.collect();
    const promoted = first && nodeIn(snapshot, first);
    expect(promoted).toMatchObject({ role: 'master', slots, configEpoch: 11, reachable: true });
    expect(nodeIn(snapshot, master)?.flags).toContain('fail');
    expect(nodeIn(snapshot, master)?.slots).toEqual([]);
    expect(snapshot.summary.slotsCovered).toBe(16384);
    const followers = snapshot.nodes.filter((n) => n.masterId === promoted?.id);
    expect(followers).toHaveLength(1);
    const check = await redisCliCheck(seed(), PASSWORD);
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [] });

    await sim.flag(master.id, 'ok');
    snapshot = await collector.collect();
    expect(nodeIn(snapshot, master)).toMatchObject({ role: 'replica', masterId: promoted?.id, slots: [] });
    expect(nodeIn(snapshot, master)?.flags).not.toContain('fail');
    expect(codes(snapshot)).toEqual([]);
  });

  it('spreads a FAIL like gossip: PFAIL seen by some first, then FAIL everywhere and the promotion', async () => {
    const master = pick(sim.masters, 6);
    const [heir] = sim.replicas.filter((r) => r.masterId === master.id);
    await sim.flag(master.id, 'fail', { spreadMs: 4000, promote: true });
    const early = nodeIn(await collector.collect(), master);
    expect(early?.failSeenBy ?? []).toEqual([]);
    expect(early?.pfailSeenBy?.length).toBeGreaterThan(0);
    expect(early?.pfailSeenBy?.length).toBeLessThan(29);
    const settled = await collectUntil(
      collector,
      'FAIL everywhere and the replica promoted',
      (s) => nodeIn(s, master)?.failSeenBy?.length === 29 && heir !== undefined && nodeIn(s, heir)?.role === 'master',
      15_000,
    );
    expect(nodeIn(settled, master)?.pfailSeenBy ?? []).toEqual([]);
    expect(settled.summary.slotsCovered).toBe(16384);
    await sim.flag(master.id, 'ok');
  });

  it('a node down is refused, a hung node times out, and both come back', async () => {
    const [gone, hung] = [pick(sim.replicas, 5), pick(sim.replicas, 6)];
    await sim.down(gone.id, true);
    await sim.hang(hung.id, true);
    const snapshot = await collectUntil(collector, 'both unreachable', (s) => s.summary.reachable === 28, 10_000);
    expect(nodeIn(snapshot, gone)?.error).toMatch(/ECONNREFUSED|not connected|closed/);
    expect(nodeIn(snapshot, hung)?.error).toMatch(/no reply/);
    expect(snapshot.summary.nodes).toBe(30);
    await sim.down(gone.id, false);
    await sim.hang(hung.id, false);
    await collectUntil(collector, 'both back', (s) => s.summary.reachable === 30, 20_000);
  });
});
