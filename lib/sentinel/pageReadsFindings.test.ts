import { describe, expect, it } from 'vitest';
import { failoverVote, haproxyReading, haproxyWord } from './deploymentView';
import { sentinelFindings } from './findings';
import { rankReplicas } from './promotion';
import { healthySentinel, MASTER, REPLICAS, SENTINELS, withSentinelsDown } from './snapshotFixture';
import type { HaproxyView, SentinelSnapshot, SentinelView } from './types';

/** The page must say what the findings say (R2 #5, #6, #7, #10): each case checks both on one snapshot. */

const codes = (s: SentinelSnapshot) => sentinelFindings(s).map((f) => `${f.severity}:${f.code}`);
const NOQUORUM =
  'NOQUORUM 1 usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover';
const NOPERM = "NOPERM this user has no permissions to run the 'sentinel|ckquorum' command";

function withSentinels(change: (v: SentinelView, i: number) => SentinelView): SentinelSnapshot {
  const s = healthySentinel();
  s.sentinels = s.sentinels.map(change);
  return s;
}

/** n sentinels configured on 10.0.1.x, the last `down` unreachable; the rest still say CKQUORUM OK (before down-after). */
function sentinelsOf(n: number, down: number): SentinelSnapshot {
  const s = healthySentinel();
  const template = s.sentinels[0];
  if (!template) throw new Error('fixture');
  s.sentinels = Array.from({ length: n }, (_, i): SentinelView => {
    const addr = `10.0.1.${i + 1}:26379`;
    const host = `10.0.1.${i + 1}`;
    if (i >= n - down) return { addr, host, reachable: false, error: 'connect ECONNREFUSED', masterAddr: null };
    return { ...template, addr, host, quorum: Math.floor(n / 2) + 1, sentinelsKnown: n };
  });
  s.agreement = { ...s.agreement, reachable: n - down, total: n };
  return s;
}

describe('the Sentinels heading (failoverVote) follows the quorum findings (R2 #5)', () => {
  it('CKQUORUM refused (NOPERM) on one of three: the finding is info, and a failover is still possible', () => {
    const s = withSentinels((v, i) => (i === 0 ? { ...v, ckquorum: { ok: false, message: NOPERM } } : v));
    expect(codes(s)).toEqual(['info:sentinel_quorum_unchecked']);
    expect(failoverVote(s)).toMatchObject({ possible: true, confirmed: true, unchecked: [SENTINELS[0]] });
  });

  it('refused everywhere: possible (nothing says no) but not confirmed', () => {
    const s = withSentinels((v) => ({ ...v, ckquorum: { ok: false, message: NOPERM } }));
    expect(codes(s)).toEqual(['info:sentinel_quorum_unchecked']);
    expect(failoverVote(s)).toMatchObject({ possible: true, confirmed: false, unchecked: [...SENTINELS] });
  });

  it('one sentinel cut off (NOQUORUM) while two pass: a warning, and the majority can still authorise', () => {
    const s = withSentinels((v, i) => (i === 2 ? { ...v, ckquorum: { ok: false, message: NOQUORUM } } : v));
    expect(codes(s)).toEqual(['warning:sentinel_cut_off']);
    expect(failoverVote(s).possible).toBe(true);
  });

  it('a sentinel not monitoring the master ("No such master"): not a quorum failure', () => {
    const s = withSentinels((v, i) =>
      i === 2 ? { ...v, masterAddr: null, ckquorum: { ok: false, message: 'ERR No such master with that name' } } : v,
    );
    expect(codes(s)).not.toContain('critical:sentinel_quorum');
    expect(failoverVote(s).possible).toBe(true);
  });

  it('two of three say NOQUORUM: critical, and the heading says no, naming who fails and who passes', () => {
    const s = withSentinels((v, i) => (i > 0 ? { ...v, ckquorum: { ok: false, message: NOQUORUM } } : v));
    expect(codes(s)).toContain('critical:sentinel_quorum');
    expect(failoverVote(s)).toMatchObject({
      possible: false,
      why: `CKQUORUM fails on ${SENTINELS[1]}, ${SENTINELS[2]}, passes only on ${SENTINELS[0]}`,
    });
  });

  it('the majority counts the voters the sentinels know: 2 of 3 configured answer, they know 5, a failover needs 3', () => {
    const s = withSentinelsDown(healthySentinel(), 1);
    s.sentinels = s.sentinels.map((v) => (v.reachable ? { ...v, sentinelsKnown: 5 } : v));
    const vote = failoverVote(s);
    expect(vote).toMatchObject({ possible: false, needed: 3, reachable: 2, total: 3 });
    expect(vote.why).toBe('only 2 of 3 sentinels answer (the sentinels know 5), a failover needs 3');
    expect(codes(s)).toContain('warning:sentinel_few');
  });

  it('all configured answer but the sentinels know more: a note, not a "no"; the finding says so as a warning', () => {
    const s = withSentinels((v) => ({ ...v, sentinelsKnown: 7 }));
    const vote = failoverVote(s);
    expect(vote).toMatchObject({ possible: true, needed: 4 });
    expect(vote.note).toContain('the sentinels know 7 sentinels, 3 are configured here');
    const few = sentinelFindings(s).find((f) => f.code === 'sentinel_few');
    expect(few?.severity).toBe('warning');
    expect(few?.message).toContain('The sentinels know 7 sentinels but only 3 are configured here');
  });
});

describe('quorum findings when many sentinels are unreachable but three or more answer (R2 #10)', () => {
  it('7 configured, 4 unreachable, the 3 left still say OK: a warning naming the 4, and the heading says no', () => {
    const s = sentinelsOf(7, 4);
    const few = sentinelFindings(s).find((f) => f.code === 'sentinel_few');
    expect(few?.severity).toBe('warning');
    expect(few?.nodeIds).toEqual(['10.0.1.4:26379', '10.0.1.5:26379', '10.0.1.6:26379', '10.0.1.7:26379']);
    expect(few?.message).toContain('4 sentinels unreachable from here');
    expect(few?.message).toContain('only 3 of 7 answer, fewer than the 4 a failover needs');
    expect(failoverVote(s)).toMatchObject({ possible: false, needed: 4 });
  });

  it('5 configured, 2 down: 3 answer, the majority: no short-count warning (one more loss would be)', () => {
    expect(sentinelFindings(sentinelsOf(5, 2)).find((f) => f.code === 'sentinel_few')).toBeUndefined();
    expect(failoverVote(sentinelsOf(5, 2)).possible).toBe(true);
    const three = sentinelFindings(sentinelsOf(5, 3)).find((f) => f.code === 'sentinel_few');
    expect(three?.nodeIds).toHaveLength(3);
  });

  it('a larger quorum than the majority counts too: 5 configured with quorum 4, 2 down', () => {
    const s = sentinelsOf(5, 2);
    s.sentinels = s.sentinels.map((v) => (v.reachable ? { ...v, quorum: 4 } : v));
    expect(sentinelFindings(s).find((f) => f.code === 'sentinel_few')?.message).toContain(
      'fewer than the 4 a failover needs (quorum 4, majority 3)',
    );
    expect(failoverVote(s)).toMatchObject({ possible: false, needed: 4 });
  });
});

function withHaproxy(change: (h: HaproxyView) => HaproxyView): SentinelSnapshot {
  const s = healthySentinel();
  if (!s.haproxy) throw new Error('fixture');
  s.haproxy = change(s.haproxy);
  return s;
}

describe('the HAProxy rows and banner follow the HAProxy findings (R2 #6)', () => {
  it('HTTP stats without addresses: no row is a wrong route; unmatched, not agreeing, and only a warning', () => {
    const s = withHaproxy((h) => ({
      ...h,
      source: 'url',
      servers: h.servers.map(({ addr: _addr, nodeAddr: _node, ...rest }) => rest),
    }));
    expect(codes(s)).toEqual(['warning:haproxy_servers_unmatched']);
    const r = haproxyReading(s);
    expect(r?.rows.map((row) => row.wrongRoute)).toEqual([false, false, false]);
    expect(r?.rows.map((row) => row.unmatched)).toEqual([true, false, false]);
    expect(r).toMatchObject({ known: true, routed: 1, unmatched: 1, agrees: false });
    expect(haproxyWord(s, r)).toEqual({ text: 'routes to a server without address', tone: 'warn' });
  });

  it('the backend is not in the stats (answered, with an error): routing unknown, as the warning says', () => {
    const s = withHaproxy((h) => ({
      backend: 'redis',
      source: h.source,
      reachable: true,
      error: `no backend "redis" in HAProxy's stats`,
      servers: [],
      lastOkAt: '2026-12-05T12:00:00.000Z',
    }));
    expect(codes(s)).toEqual(['warning:haproxy_stats_unreadable']);
    const r = haproxyReading(s);
    expect(r).toMatchObject({ known: false, routed: 0, agrees: false, rows: [] });
    expect(haproxyWord(s, r)).toEqual({ text: 'routing unknown', tone: 'warn' });
  });

  it('a routed server at the master as the dashboard dials it (natMap): the master, not a wrong route', () => {
    const s = healthySentinel();
    if (!s.master || !s.haproxy) throw new Error('fixture');
    s.master = { ...s.master, connectAddr: '192.168.0.1:6379' };
    s.haproxy.servers = s.haproxy.servers.map((x) =>
      x.addr === MASTER ? { name: x.name, addr: '192.168.0.1:6379', status: 'UP', routed: true, backup: false } : x,
    );
    expect(codes(s)).toEqual([]);
    expect(haproxyReading(s)).toMatchObject({ known: true, agrees: true });
  });

  it('still a wrong route when the address is known and not the master (and it takes writes: split brain)', () => {
    const s = withHaproxy((h) => ({
      ...h,
      servers: h.servers.map((x) => (x.addr === REPLICAS[0] ? { ...x, status: 'UP', routed: true } : x)),
    }));
    s.replicas = s.replicas.map((r) => (r.addr === REPLICAS[0] ? { ...r, role: 'master' } : r));
    expect(codes(s)).toContain('critical:haproxy_routes_two');
    const r = haproxyReading(s);
    expect(r?.rows.map((row) => row.wrongRoute)).toEqual([false, true, false]);
    expect(haproxyWord(s, r)).toEqual({ text: 'routes to 2 nodes', tone: 'crit' });
  });

  it('beside the master, a routed node that answers role:replica: amber on the page as in the findings', () => {
    const s = withHaproxy((h) => ({
      ...h,
      servers: h.servers.map((x) => (x.addr === REPLICAS[0] ? { ...x, status: 'UP', routed: true } : x)),
    }));
    expect(codes(s)).toContain('warning:haproxy_routes_replica');
    expect(haproxyWord(s, haproxyReading(s))).toEqual({ text: 'still routes to a replica', tone: 'warn' });
  });
});

describe('a replica set replica-announced no, in the promotion order (R2 #7)', () => {
  /** A fourth replica the master lists and no sentinel does; the sentinels count `replicasKnown` replicas. */
  function hiddenReplica(replicasKnown: number, priority = 50): SentinelSnapshot {
    const s = healthySentinel();
    const b = s.replicas[1];
    if (!b) throw new Error('fixture');
    s.replicas = [...s.replicas, { ...b, addr: '10.0.0.4:6379', host: '10.0.0.4', knownBySentinels: 0, priority }];
    s.sentinels = s.sentinels.map((v) => ({ ...v, replicasKnown }));
    return s;
  }

  it('counted (num-slaves) but not listed: ranked like any replica, said hidden and may be promoted', () => {
    const s = hiddenReplica(3);
    expect(sentinelFindings(s).find((f) => f.code === 'sentinel_replica_unknown')?.message).toContain(
      'may still promote it',
    );
    const [first] = rankReplicas(s, 5000);
    expect(first?.addr).toBe('10.0.0.4:6379');
    expect(first?.eligible).toBe(true);
    expect(first?.why).toContain('hidden from SENTINEL REPLICAS');
    expect(first?.why).toContain('may be promoted');
  });

  it('neither counted nor listed: skipped, as the finding says the sentinels do not know it', () => {
    const s = hiddenReplica(2);
    const hidden = rankReplicas(s, 5000).find((c) => c.addr === '10.0.0.4:6379');
    expect(hidden?.eligible).toBe(false);
    expect(hidden?.why).toContain('not known to the sentinels');
  });
});
