import { describe, expect, it } from 'vitest';
import { sentinelFindings } from './findings';
import { sentinelHealth } from './health';
import { healthySentinel, MASTER, REPLICAS, SENTINELS, withSentinelsDown } from './snapshotFixture';
import type { SentinelSnapshot } from './types';

const codes = (s: SentinelSnapshot) => sentinelFindings(s).map((f) => `${f.severity}:${f.code}`);
const critical = (s: SentinelSnapshot) => sentinelFindings(s).filter((f) => f.severity === 'critical');

describe('sentinelFindings', () => {
  it('finds nothing wrong with a healthy deployment (OK health)', () => {
    expect(sentinelFindings(healthySentinel())).toEqual([]);
    expect(sentinelHealth(sentinelFindings(healthySentinel())).health).toBe('ok');
  });

  it('one of 3 sentinels stopped: no critical finding, a warning naming it', () => {
    const s = withSentinelsDown(healthySentinel(), 1);
    expect(critical(s)).toEqual([]);
    const few = sentinelFindings(s).find((f) => f.code === 'sentinel_few');
    expect(few?.severity).toBe('warning');
    expect(few?.nodeIds).toEqual([SENTINELS[2]]);
    expect(few?.message).toContain('unreachable from here');
  });

  it('two of 3 stopped: the quorum finding (critical) from the remaining CKQUORUM', () => {
    const s = withSentinelsDown(healthySentinel(), 2);
    const quorum = critical(s).find((f) => f.code === 'sentinel_quorum');
    expect(quorum?.message).toContain('NOQUORUM');
    expect(quorum?.nodeIds).toEqual(expect.arrayContaining([SENTINELS[0], SENTINELS[1], SENTINELS[2]]));
  });

  it('two of 3 unreachable and no sentinel confirms the quorum: critical, by count', () => {
    const s = withSentinelsDown(healthySentinel(), 2);
    const first = s.sentinels[0];
    if (!first) throw new Error('fixture');
    s.sentinels[0] = { ...first, ckquorum: undefined };
    expect(critical(s).map((f) => f.code)).toContain('sentinel_quorum');
  });

  it('two unreachable from here while the one that answers says its quorum holds: a warning, not critical', () => {
    const s = withSentinelsDown(healthySentinel(), 2);
    const first = s.sentinels[0];
    if (!first) throw new Error('fixture');
    s.sentinels[0] = { ...first, ckquorum: { ok: true, message: 'OK 3 usable Sentinels.' } };
    expect(critical(s)).toEqual([]);
    expect(codes(s)).toContain('warning:sentinel_few');
  });

  it('no sentinel answers: critical, "unknown" health', () => {
    const s = withSentinelsDown(healthySentinel(), 3);
    expect(codes(s)).toEqual(['critical:sentinel_none_reachable']);
    expect(sentinelHealth(sentinelFindings(s)).health).toBe('unknown');
  });

  it('sentinels disagree on the master: critical, naming both addresses', () => {
    const s = healthySentinel();
    const third = s.sentinels[2];
    if (!third) throw new Error('fixture');
    s.sentinels[2] = { ...third, masterAddr: REPLICAS[0] };
    s.agreement = { ...s.agreement, agreed: false, addrs: [MASTER, REPLICAS[0]] };
    const f = critical(s).find((x) => x.code === 'sentinel_master_disagreement');
    expect(f?.message).toContain(`${MASTER} (2) vs ${REPLICAS[0]} (1)`);
  });

  it('all sentinels on one host: warning', () => {
    const s = healthySentinel();
    s.sentinels = s.sentinels.map((v, i) => ({ ...v, addr: `10.0.0.9:2637${i}`, host: '10.0.0.9' }));
    expect(codes(s)).toEqual(['warning:sentinel_one_host']);
  });

  it('only 2 sentinels configured: a warning even when both answer', () => {
    const s = healthySentinel();
    s.sentinels = s.sentinels.slice(0, 2);
    s.agreement = { ...s.agreement, reachable: 2, total: 2 };
    expect(codes(s)).toEqual(['warning:sentinel_few']);
  });

  it('a replica unknown to the sentinels, one with its link down, one lagging', () => {
    const s = healthySentinel();
    const [a, b] = s.replicas;
    if (!a || !b) throw new Error('fixture');
    s.replicas = [
      { ...a, linkUp: false },
      { ...b, lagBytes: 5 * 1024 * 1024 },
      { ...b, addr: '10.0.0.4:6379', host: '10.0.0.4', knownBySentinels: 0 },
    ];
    expect(codes(s)).toEqual([
      'warning:sentinel_replica_link_down',
      'warning:sentinel_replica_lagging',
      'warning:sentinel_replica_unknown',
    ]);
  });

  it('a replica only the dashboard cannot reach is "unreachable from here" (info); one the sentinels flag is down', () => {
    const s = healthySentinel();
    const [a, b] = s.replicas;
    if (!a || !b) throw new Error('fixture');
    s.replicas = [
      { ...a, reachable: false, role: null, error: 'no reply within 1000 ms' },
      { ...b, reachable: false, role: null, sentinelFlags: ['s_down', 'disconnected'] },
    ];
    const found = sentinelFindings(s);
    expect(found.map((f) => `${f.severity}:${f.code}`)).toEqual([
      'info:sentinel_replica_unreachable',
      'warning:sentinel_replica_down',
    ]);
    expect(found[0]?.message).toContain('unreachable from here');
    expect(found[0]?.message).not.toMatch(/\bis down\b/);
  });

  it('min-replicas-to-write 0: "acknowledged writes can be lost on failover"; refused CONFIG: could not be checked', () => {
    const s = healthySentinel();
    if (!s.master) throw new Error('fixture');
    s.master = { ...s.master, minReplicasToWrite: 0 };
    const [f] = sentinelFindings(s);
    expect(f?.code).toBe('sentinel_no_min_replicas');
    expect(f?.message).toContain('acknowledged writes can be lost on failover');
    s.master = { ...s.master, minReplicasToWrite: null, configError: 'CONFIG GET: not permitted' };
    const [g] = sentinelFindings(s);
    expect(g?.code).toBe('sentinel_min_replicas_unchecked');
    expect(g?.message).toContain('Could not check');
    expect(g?.message).toContain('not permitted');
  });

  it('master o_down: critical, health down; s_down on one sentinel: warning; unreachable from here only: warning', () => {
    const s = healthySentinel();
    if (!s.master) throw new Error('fixture');
    s.master = { ...s.master, reachable: false, role: null, sentinelFlags: ['o_down', 's_down'] };
    s.sentinels = s.sentinels.map((v) => ({ ...v, masterFlags: ['master', 's_down', 'o_down'] }));
    expect(codes(s)).toContain('critical:sentinel_master_down');
    expect(sentinelHealth(sentinelFindings(s)).health).toBe('down');
    const t = healthySentinel();
    const first = t.sentinels[0];
    if (!t.master || !first) throw new Error('fixture');
    t.sentinels[0] = { ...first, masterFlags: ['master', 's_down'] };
    expect(codes(t)).toEqual(['warning:sentinel_master_suspected']);
    const u = healthySentinel();
    if (!u.master) throw new Error('fixture');
    u.master = { ...u.master, reachable: false, role: null, error: 'connect ETIMEDOUT' };
    const [f] = sentinelFindings(u);
    expect(f?.code).toBe('sentinel_master_unreachable');
    expect(f?.message).toContain('unreachable from here');
  });

  it("a replica answering role:master beside the sentinels' master: critical", () => {
    const s = healthySentinel();
    const [a] = s.replicas;
    if (!a) throw new Error('fixture');
    s.replicas[0] = { ...a, role: 'master', linkUp: undefined };
    expect(critical(s).map((f) => f.code)).toEqual(['sentinel_second_master']);
  });
});

describe('HAProxy findings', () => {
  it('HAProxy routes to a node that is not the sentinels\' master: "HAProxy and sentinels disagree"', () => {
    const s = healthySentinel();
    if (!s.haproxy) throw new Error('fixture');
    s.haproxy.servers = s.haproxy.servers.map((x) => ({
      ...x,
      routed: x.addr === REPLICAS[0],
      status: x.addr === REPLICAS[0] ? 'UP' : 'DOWN',
    }));
    const f = critical(s);
    expect(f.map((x) => x.code)).toEqual(['haproxy_wrong_master']);
    expect(f[0]?.headline).toBe('HAProxy and sentinels disagree on the master');
    expect(f[0]?.nodeIds).toEqual([MASTER, REPLICAS[0]]);
  });

  it('to two nodes at once, both taking writes: critical, the wrong one named, health down (split brain)', () => {
    const s = healthySentinel();
    if (!s.haproxy) throw new Error('fixture');
    s.haproxy.servers = s.haproxy.servers.map((x) => ({ ...x, routed: x.addr !== REPLICAS[1], status: 'UP' }));
    s.replicas = s.replicas.map((r) => (r.addr === REPLICAS[0] ? { ...r, role: 'master' } : r));
    expect(critical(s).map((x) => x.code)).toEqual(
      expect.arrayContaining(['haproxy_routes_two', 'haproxy_wrong_master']),
    );
    expect(sentinelHealth(sentinelFindings(s)).health).toBe('down');
  });

  it('to the master and a node that answers role:replica (its check not failed yet): a warning, nothing lost', () => {
    const s = healthySentinel();
    if (!s.haproxy) throw new Error('fixture');
    s.haproxy.servers = s.haproxy.servers.map((x) => ({ ...x, routed: x.addr !== REPLICAS[1], status: 'UP' }));
    expect(codes(s)).toEqual(['warning:haproxy_routes_replica']);
  });

  it('to a replica only: critical (clients can write nowhere)', () => {
    const s = healthySentinel();
    if (!s.haproxy) throw new Error('fixture');
    s.haproxy.servers = s.haproxy.servers.map((x) => ({ ...x, routed: x.addr === REPLICAS[0], status: 'UP' }));
    expect(critical(s).map((x) => x.code)).toEqual(['haproxy_wrong_master']);
  });

  it('to none: critical, health down', () => {
    const s = healthySentinel();
    if (!s.haproxy) throw new Error('fixture');
    s.haproxy.servers = s.haproxy.servers.map((x) => ({ ...x, routed: false, status: 'DOWN' }));
    expect(codes(s)).toEqual(['critical:haproxy_routes_none']);
    expect(sentinelHealth(sentinelFindings(s)).health).toBe('down');
  });

  it('matches a server by the address the dashboard dials (natMap)', () => {
    const s = healthySentinel();
    if (!s.haproxy || !s.master) throw new Error('fixture');
    s.master = { ...s.master, connectAddr: '192.168.1.1:6379' };
    s.haproxy.servers = s.haproxy.servers.map((x) =>
      x.addr === MASTER ? { ...x, addr: '192.168.1.1:6379', nodeAddr: undefined } : x,
    );
    expect(sentinelFindings(s)).toEqual([]);
  });

  it('stats unreadable: a warning, not a routing verdict', () => {
    const s = healthySentinel();
    s.haproxy = { backend: 'redis', source: 'url', reachable: false, error: 'HTTP 503', servers: [] };
    expect(codes(s)).toEqual(['warning:haproxy_stats_unreadable']);
  });
});

describe('HAProxy stats without server addresses', () => {
  it('(HTTP stats page without show-legends): a warning saying so, never "routes to the wrong node"', () => {
    const s = healthySentinel();
    if (!s.haproxy) throw new Error('fixture');
    s.haproxy.servers = s.haproxy.servers.map(({ addr: _a, nodeAddr: _n, ...x }) => x);
    const found = sentinelFindings(s);
    expect(found.map((f) => `${f.severity}:${f.code}`)).toEqual(['warning:haproxy_servers_unmatched']);
    expect(found[0]?.action).toContain('stats show-legends');
  });
});

describe('a sentinel that does not monitor the master name', () => {
  it('answers but names no master: a warning naming it', () => {
    const s = healthySentinel();
    const third = s.sentinels[2];
    if (!third) throw new Error('fixture');
    s.sentinels[2] = { ...third, masterAddr: null, error: 'ERR No such master with that name' };
    const found = sentinelFindings(s);
    expect(found.map((f) => `${f.severity}:${f.code}`)).toEqual(['warning:sentinel_not_monitoring']);
    expect(found[0]?.nodeIds).toEqual([SENTINELS[2]]);
    expect(found[0]?.message).toContain('No such master');
  });
});
