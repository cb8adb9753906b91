import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultNodeNetworks } from '@/lib/config/nodeNetworks';
import { SentinelConfig } from '@/lib/config/schema';
import { MONITOR_RULES, NARROW_MONITOR_RULES } from '@/lib/redis/aclProfiles';
import { sentinelFindings } from '@/lib/sentinel/findings';
import type { SentinelSnapshot } from '@/lib/sentinel/types';
import { waitFor } from '../../scripts/devcluster/cluster';
import { type SentinelGroup, startSentinelGroup } from '../../scripts/sentinelgroup/sentinelGroup';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import type { ResolvedSentinel } from '../config/load';
import { SentinelPoller } from './poller';

const POLL_MS = 250;
const DEADLINE_MS = 600;

/** The group's config entry as the config loader resolves it (defaults applied, secrets given inline). */
function resolved(group: SentinelGroup): ResolvedSentinel {
  const {
    passwordEnv: _p,
    sentinelPasswordEnv: _s,
    tls: _t,
    nodeNetworks,
    ...rest
  } = SentinelConfig.parse(group.configEntry({ pollIntervalMs: POLL_MS, nodeDeadlineMs: DEADLINE_MS }));
  return { ...rest, nodeNetworks: nodeNetworks ?? defaultNodeNetworks(rest.sentinels, Object.values(rest.natMap)) };
}

const codes = (s: SentinelSnapshot | undefined) => (s ? sentinelFindings(s).map((f) => f.code) : []);
const critical = (s: SentinelSnapshot) => sentinelFindings(s).filter((f) => f.severity === 'critical');

/** Polls (fresh ones: each started after the call) until `ok`, with a deadline. */
function pollUntil(poller: SentinelPoller, what: string, ok: (s: SentinelSnapshot) => boolean, ms = 20_000) {
  return waitFor(
    what,
    async () => {
      const s = await poller.fresh();
      return ok(s) ? s : undefined;
    },
    ms,
    50,
  );
}

// Redis without passwords; Valkey with data-node and sentinel passwords (both credential paths).
describe.each<[Flavour, { password?: string; sentinelPassword?: string }]>([
  ['redis', {}],
  ['valkey', { password: 'data-secret', sentinelPassword: 'sentinel-secret' }],
])('a Sentinel deployment on %s, polled', (flavour, secrets) => {
  let group: SentinelGroup;
  let poller: SentinelPoller;

  beforeAll(async () => {
    group = await startSentinelGroup({ serverBin: flavour === 'redis' ? undefined : serverBin(flavour), ...secrets });
    poller = new SentinelPoller(resolved(group));
    poller.start();
    await pollUntil(poller, 'every node and sentinel answering', (s) => {
      const nodes = [s.master, ...s.replicas];
      return s.agreement.reachable === 3 && nodes.length === 3 && nodes.every((n) => n?.reachable);
    });
  }, 180_000);
  afterAll(async () => {
    poller?.stop();
    await group?.stop();
  });

  it('shows the master, 2 replicas (link, lag, priority), 3 sentinels (master, quorum, timers) and HAProxy', async () => {
    const s = await poller.fresh();
    expect(s.kind).toBe('sentinel');
    expect(s.master).toMatchObject({ addr: group.master.addr, role: 'master', reachable: true, knownBySentinels: 3 });
    expect(s.master?.minReplicasToWrite).toBe(0);
    expect(s.replicas.map((r) => r.addr)).toEqual(group.replicas.map((r) => r.addr).sort());
    for (const r of s.replicas) {
      expect(r).toMatchObject({ role: 'replica', linkUp: true, masterAddr: group.master.addr, priority: 100 });
      expect(r.knownBySentinels).toBe(3);
      expect(r.lagBytes).toBeGreaterThanOrEqual(0);
      expect(r.lagSeconds).toBeGreaterThanOrEqual(0);
    }
    expect(s.sentinels.map((v) => v.addr)).toEqual(group.sentinelAddrs);
    for (const v of s.sentinels) {
      expect(v).toMatchObject({ reachable: true, masterAddr: group.master.addr, quorum: 2, downAfterMs: 2000 });
      expect(v.failoverTimeoutMs).toBe(10_000);
      expect(v.ckquorum?.ok).toBe(true);
      expect(v.sentinelsKnown).toBe(3);
      expect(v.lastOkAt).toBeGreaterThan(0);
    }
    expect(s.agreement).toEqual({ agreed: true, addrs: [group.master.addr], reachable: 3, total: 3 });
    const routed = s.haproxy?.servers.filter((x) => x.routed) ?? [];
    expect(routed.map((x) => x.nodeAddr)).toEqual([group.master.addr]);
    expect(s.haproxy?.servers).toHaveLength(3);
    expect(s.haproxy?.servers.find((x) => x.nodeAddr === group.master.addr)?.status).toBe('UP');
    // The group runs without min-replicas-to-write: said plainly; nothing critical.
    expect(critical(s)).toEqual([]);
    expect(codes(s)).toContain('sentinel_no_min_replicas');
  });

  it('a SIGSTOPped replica is unreachable within the deadline while the rest keep updating', async () => {
    const hung = group.replicas[0];
    if (!hung) throw new Error('no replica');
    group.pause(hung.addr);
    try {
      const before = (await poller.fresh()).master?.uptimeSeconds ?? 0;
      const s = await pollUntil(poller, 'the hung replica shown unreachable', (x) =>
        x.replicas.some((r) => r.addr === hung.addr && !r.reachable),
      );
      // One poll with the node hung costs its deadline, not more (generous slack for a loaded machine).
      const next = await poller.fresh();
      expect(next.durationMs).toBeLessThan(DEADLINE_MS + 700);
      expect(next.replicas.find((r) => r.addr === hung.addr)?.error).toMatch(/no reply|no connection|timed? ?out/i);
      expect(next.master?.reachable).toBe(true);
      expect(next.replicas.find((r) => r.addr !== hung.addr)?.reachable).toBe(true);
      expect(next.sentinels.every((v) => v.reachable)).toBe(true);
      expect(next.master?.uptimeSeconds ?? 0).toBeGreaterThanOrEqual(before);
      expect(Date.parse(next.collectedAt)).toBeGreaterThan(Date.parse(s.collectedAt));
    } finally {
      group.resume(hung.addr);
    }
    await pollUntil(poller, 'the replica back', (x) => x.replicas.every((r) => r.reachable));
  });

  it('a replica promoted behind the sentinels\' back (REPLICAOF NO ONE): "HAProxy and sentinels disagree" within 2 polls of HAProxy routing to it', async () => {
    const rogue = group.replicas[0];
    const haproxy = group.haproxy;
    if (!rogue || !haproxy) throw new Error('no replica / haproxy');
    await group.client(rogue.addr).call('REPLICAOF', 'NO', 'ONE');
    try {
      await waitFor(
        'HAProxy routing to the rogue master',
        async () => ((await haproxy.upServers()).includes(rogue.addr) ? true : undefined),
        20_000,
        20,
      );
      const polls = poller.polls;
      const s = await pollUntil(
        poller,
        'the HAProxy finding',
        (x) => codes(x).includes('haproxy_wrong_master'),
        10_000,
      );
      expect(poller.polls - polls).toBeLessThanOrEqual(2);
      expect(critical(s).map((f) => f.code)).toEqual(
        expect.arrayContaining(['haproxy_wrong_master', 'sentinel_second_master']),
      );
      expect(sentinelFindings(s).find((f) => f.code === 'haproxy_wrong_master')?.nodeIds).toContain(rogue.addr);
    } finally {
      // Back as a replica (the sentinels would do it too, after a while).
      await group.client(rogue.addr).call('REPLICAOF', group.master.host, String(group.master.port));
    }
    await pollUntil(
      poller,
      'HAProxy back on the master alone',
      (x) => !codes(x).some((c) => c.startsWith('haproxy_')),
      30_000,
    );
  });

  it('least privilege: without CONFIG (ACL or commandRenames) every node is still shown, min-replicas-to-write "could not be checked"', async () => {
    for (const node of group.dataNodes) {
      const client = group.client(node.addr);
      await client.call('ACL', 'SETUSER', 'narrow', 'on', '>narrow-pw', ...NARROW_MONITOR_RULES);
      await client.call('ACL', 'SETUSER', 'monitor', 'on', '>monitor-pw', ...MONITOR_RULES);
    }
    const as = async (extra: Partial<ResolvedSentinel>) => {
      const p = new SentinelPoller({ ...resolved(group), ...extra });
      try {
        return await pollUntil(p, 'every data node answering', (x) =>
          [x.master, ...x.replicas].every((n) => n?.reachable && n.role !== null),
        );
      } finally {
        p.stop();
      }
    };
    const narrow = await as({ username: 'narrow', password: 'narrow-pw' });
    expect(narrow.replicas).toHaveLength(2);
    expect(narrow.master?.minReplicasToWrite).toBeNull();
    expect(narrow.master?.configError).toContain('not permitted');
    expect(codes(narrow)).toContain('sentinel_min_replicas_unchecked');
    expect(codes(narrow)).not.toContain('sentinel_no_min_replicas');
    const disabled = await as({ commandRenames: { CONFIG: '' } });
    expect(disabled.master?.minReplicasToWrite).toBeNull();
    expect(disabled.master?.configError).toContain('disabled');
    const monitor = await as({ username: 'monitor', password: 'monitor-pw' });
    expect(monitor.master?.minReplicasToWrite).toBe(0);
    expect(monitor.master?.minReplicasMaxLag).toBe(10);
  });

  it('garbage where a sentinel or the stats should be (HTTP, a data node, Redis where HTTP is expected): a snapshot, no throw', async () => {
    const haproxy = group.haproxy;
    const first = group.sentinelAddrs[0];
    if (!haproxy || !first) throw new Error('no haproxy');
    const p = new SentinelPoller({
      ...resolved(group),
      sentinels: [first, `${haproxy.host}:${haproxy.statsPort}`, group.master.addr],
      haproxy: { statsUrl: `http://${haproxy.frontendAddr}/`, backend: 'redis' },
    });
    try {
      const s = await p.fresh();
      expect(s.sentinels[0]).toMatchObject({ reachable: true, masterAddr: group.master.addr });
      expect(s.sentinels[1]?.reachable).toBe(false);
      expect(s.sentinels[2]?.masterAddr).toBeNull();
      expect(s.master?.addr).toBe(group.master.addr);
      expect(s.haproxy).toMatchObject({ reachable: false, servers: [] });
      expect(() => sentinelFindings(s)).not.toThrow();
      expect(codes(s)).toContain('haproxy_stats_unreadable');
    } finally {
      p.stop();
    }
  });

  it('stopping one of 3 sentinels raises no critical finding; stopping two raises the quorum finding', async () => {
    await group.stopSentinel(2);
    const one = await pollUntil(
      poller,
      "the others' CKQUORUM counting 2 usable sentinels",
      (x) =>
        x.agreement.reachable === 2 &&
        x.sentinels.filter((v) => v.reachable).every((v) => /^OK 2 usable/.test(v.ckquorum?.message ?? '')),
      30_000,
    );
    expect(critical(one)).toEqual([]);
    expect(codes(one)).toContain('sentinel_few');
    await group.stopSentinel(1);
    const two = await pollUntil(poller, 'the quorum finding', (x) => codes(x).includes('sentinel_quorum'), 30_000);
    expect(critical(two).map((f) => f.code)).toContain('sentinel_quorum');
    expect(two.sentinels.filter((v) => !v.reachable).map((v) => v.addr)).toEqual(group.sentinelAddrs.slice(1));
  });

  it('a replica removed (stopped, then SENTINEL RESET) drops out of the snapshot instead of staying unreachable', async () => {
    const gone = group.replicas[1];
    const kept = group.replicas[0];
    if (!gone || !kept) throw new Error('no replicas');
    await group.stopNode(gone.addr);
    // Every sentinel still running forgets it (the earlier test stopped some: they do not answer).
    let running = 0;
    for (let i = 0; i < group.sentinels.length; i++) {
      const sentinel = group.sentinelClient(i);
      try {
        await sentinel.connect();
        await sentinel.call('SENTINEL', 'RESET', group.masterName);
        running++;
      } catch {
        // stopped
      } finally {
        sentinel.disconnect();
      }
    }
    const s = await pollUntil(
      poller,
      'the removed replica gone and the other one back in the sentinel lists',
      (x) => x.replicas.length === 1 && x.replicas[0]?.addr === kept.addr && x.replicas[0].knownBySentinels === running,
      40_000,
    );
    expect(s.replicas.map((r) => r.addr)).not.toContain(gone.addr);
  });
});
