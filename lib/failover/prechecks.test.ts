import { describe, expect, it } from 'vitest';
import { healthy, id, infoWith, withNode } from '../findings/snapshotFixture';
import { bestReplica, blockingCheck, type FailoverPlan, planFailover } from './prechecks';

const plan = (s: Parameters<typeof planFailover>[0], replica: number, mode?: Parameters<typeof planFailover>[2]) => {
  const p = planFailover(s, id(replica), mode);
  if (typeof p === 'string') throw new Error(p);
  return p;
};
const check = (p: FailoverPlan, name: string) => p.checks.find((c) => c.name === name);
const status = (p: FailoverPlan, name: string) => check(p, name)?.status;

describe('failover pre-checks', () => {
  it('passes a healthy replica in default mode, recommended', () => {
    const p = plan(healthy(), 4);
    expect(p).toMatchObject({
      mode: 'default',
      recommendedMode: 'default',
      allowed: true,
      adminOnly: false,
      masterId: id(1),
    });
    // The fixture is the classic three-host ring: promoting any replica puts two of three masters on one host.
    expect(p.checks.filter((c) => c.status !== 'pass').map((c) => c.name)).toEqual([
      'no host runs most masters afterwards',
    ]);
    expect(check(p, 'no host runs most masters afterwards')).toMatchObject({
      status: 'warn',
      value: '10.0.0.2: 2 of 3 masters',
    });
    expect(p.explanation).toMatch(/nothing acknowledged is lost/);
  });

  it('passes the host check when the promoted replica sits on a host with no master', () => {
    const s = withNode(healthy(), 4, { host: '10.0.0.9', addr: '10.0.0.9:7004' });
    expect(check(plan(s, 4), 'no host runs most masters afterwards')).toMatchObject({
      status: 'pass',
      value: expect.stringMatching(/: 1 of 3 masters$/),
    });
  });

  it('warns that DEFAULT will likely time out against a master that accepts connections and hangs', () => {
    const s = withNode(healthy(), 1, { reachable: false, error: 'no reply within 500 ms', info: undefined });
    const p = plan(s, 4);
    expect(check(p, 'master reachable from this dashboard')?.detail).toMatch(/looks hung.*times out/);
    expect(status(p, 'offset lag')).toBe('warn');
  });

  it('blocks default mode when the replica link is down', () => {
    const p = plan(withNode(healthy(), 4, { info: infoWith({ master_link_status: 'down', slave_repl_offset: 0 }) }), 4);
    expect(status(p, 'master_link_status')).toBe('fail');
    expect(p.allowed).toBe(false);
    expect(blockingCheck(p.checks)?.check.name).toBe('master_link_status');
  });

  it('names a blocker that waiting will not clear before a wait, and none when nothing fails', () => {
    const wait = { name: 'wait', status: 'fail', value: '', waitMs: 1000 } as const;
    const act = { name: 'act', status: 'fail', value: '' } as const;
    const warn = { name: 'warn', status: 'warn', value: '' } as const;
    expect(blockingCheck([warn, wait, act])).toEqual({ check: act, more: 1 });
    expect(blockingCheck([warn, wait])).toEqual({ check: wait, more: 0 });
    expect(blockingCheck([warn])).toBeUndefined();
  });

  it('recommends FORCE when the cluster sees the master down, and explains the data loss', () => {
    const s = withNode(
      withNode(healthy(), 1, {
        reachable: false,
        flags: ['master', 'fail'],
        failSeenBy: [id(2), id(3)],
        info: undefined,
      }),
      4,
      { info: infoWith({ master_link_status: 'down', master_link_down_since_seconds: 2, slave_repl_offset: 1000 }) },
    );
    const p = plan(s, 4);
    expect(p).toMatchObject({ recommendedMode: 'force', mode: 'force', allowed: true, adminOnly: true });
    expect(p.explanation).toMatch(/LOST/);
    expect(status(p, 'master up (cluster view)')).toBe('warn');
    expect(plan(s, 4, 'default').allowed).toBe(false);
  });

  it('keeps DEFAULT when only the dashboard cannot reach a master the cluster sees healthy', () => {
    const s = withNode(healthy(), 1, { reachable: false, error: 'connect ECONNREFUSED', info: undefined });
    const p = plan(s, 4);
    expect(p).toMatchObject({ recommendedMode: 'default', mode: 'default', allowed: true });
    expect(check(p, 'master reachable from this dashboard')).toMatchObject({ status: 'warn' });
    expect(check(p, 'master reachable from this dashboard')?.detail).toMatch(
      /this dashboard cannot reach 10\.0\.0\.1:7001 \(11111111\); the cluster sees it healthy: check the path between the dashboard and the node/i,
    );
    expect(status(p, 'master up (cluster view)')).toBe('pass');
    expect(check(p, 'majority of masters up')).toMatchObject({
      status: 'pass',
      value: expect.stringMatching(/^3 of 3/),
    });
    // Unknown is never a pass: with the master unreadable the dashboard cannot tell how far behind the replica is.
    expect(status(p, 'offset lag')).toBe('warn');
  });

  it('follows who reports FAIL: one node’s FAIL (majority-agreed) is enough; PFAIL alone never recommends FORCE', () => {
    const fail = withNode(healthy(), 1, { failSeenBy: [id(5)] });
    expect(plan(fail, 4).recommendedMode).toBe('force');
    const pfailLinkUp = withNode(healthy(), 1, { flags: ['master', 'fail?'], pfailSeenBy: [id(2), id(3)] });
    const suspected = plan(pfailLinkUp, 4);
    expect(suspected.recommendedMode).toBe('default');
    expect(status(suspected, 'master up (cluster view)')).toBe('warn');
    // PFAIL is not "the cluster sees it healthy": neither healthy-master message may appear.
    expect(check(plan(pfailLinkUp, 4, 'force'), 'mode fits a healthy master')).toBeUndefined();
    const pfailSeenByReplica = withNode(healthy(), 1, { flags: ['master', 'fail?'], pfailSeenBy: [id(2), id(4)] });
    expect(plan(pfailSeenByReplica, 4).recommendedMode).toBe('default');
    const pfailLinkDown = withNode(pfailLinkUp, 4, {
      info: infoWith({ master_link_status: 'down', master_link_down_since_seconds: 1, slave_repl_offset: 1000 }),
    });
    // The master still acknowledges writes until the cluster agrees on FAIL: FORCE now would lose them.
    expect(plan(pfailLinkDown, 4).recommendedMode).toBe('default');
  });

  it('warns that DEFAULT would lose nothing when FORCE or TAKEOVER is asked for a healthy master', () => {
    const force = plan(healthy(), 4, 'force');
    expect(force.allowed).toBe(true);
    expect(check(force, 'mode fits a healthy master')).toMatchObject({ status: 'warn' });
    expect(check(force, 'mode fits a healthy master')?.detail).toMatch(/DEFAULT failover would lose nothing/);
    expect(check(plan(healthy(), 4, 'takeover'), 'mode fits a healthy master')?.detail).toMatch(/split-brain/);
    expect(check(plan(healthy(), 4), 'mode fits a healthy master')).toBeUndefined();
  });

  it('calls a replica cut off for an hour stale: blocks DEFAULT, warns FORCE with what is lost', () => {
    const s = withNode(withNode(healthy(), 1, { flags: ['master', 'fail'], reachable: false, info: undefined }), 4, {
      info: infoWith({ master_link_status: 'down', master_link_down_since_seconds: 3600, slave_repl_offset: 1000 }),
    });
    const force = plan(s, 4, 'force');
    expect(check(force, 'replica staleness')).toMatchObject({
      status: 'warn',
      value: expect.stringMatching(/link down for 60 min/),
    });
    expect(check(force, 'replica staleness')?.detail).toMatch(/every write since the link went down/);
    expect(status(force, 'offset lag')).toBe('warn');
    expect(force.allowed).toBe(true);
    expect(status(plan(s, 4, 'default'), 'replica staleness')).toBe('fail');
  });

  it('measures a replica against its sibling replicas and names the better one', () => {
    let s = healthy();
    const sibling = { ...s.nodes[1], id: id(7), addr: '10.0.0.3:7007', host: '10.0.0.3' } as (typeof s.nodes)[number];
    s = { ...s, nodes: [...s.nodes, sibling] };
    s = withNode(s, 7, { info: infoWith({ master_link_status: 'up', slave_repl_offset: 9_000_000 }) });
    s = withNode(s, 1, { flags: ['master', 'fail'], reachable: false, info: undefined });
    const p = plan(s, 4, 'force');
    expect(check(p, 'replica staleness')).toMatchObject({
      status: 'warn',
      value: expect.stringMatching(/8\.6 MiB behind 10\.0\.0\.3:7007/),
    });
    expect(check(p, 'replica staleness')?.detail).toMatch(/Prefer 10\.0\.0\.3:7007/);
    expect(bestReplica(s, id(1))?.id).toBe(id(7));
    expect(status(plan(s, 7, 'force'), 'replica staleness')).toBe('pass');
  });

  it('recommends TAKEOVER when the majority of masters is gone', () => {
    let s = withNode(healthy(), 1, { reachable: false, flags: ['master', 'fail'], info: undefined });
    s = withNode(s, 2, { reachable: false, flags: ['master', 'fail'], info: undefined });
    const p = plan(s, 4);
    expect(p.recommendedMode).toBe('takeover');
    expect(plan(s, 4, 'force').allowed).toBe(false);
    expect(p.explanation).toMatch(/split-brain/);
  });

  it('blocks while the shard has an open slot, and warns about the same host', () => {
    const open = withNode(healthy(), 1, { migrating: [{ slot: 5, to: id(2) }] });
    expect(plan(open, 4).allowed).toBe(false);
    const sameHost = withNode(healthy(), 4, { host: '10.0.0.1' });
    expect(status(plan(sameHost, 4), 'replica on another host than its master')).toBe('warn');
  });

  it('refuses a master or an unknown node', () => {
    expect(planFailover(healthy(), id(1))).toMatch(/not a replica/);
    expect(planFailover(healthy(), 'f'.repeat(40))).toMatch(/no node/);
  });

  it('picks the best replica: in sync, another host, smallest lag', () => {
    let s = healthy();
    s = {
      ...s,
      nodes: [
        ...s.nodes,
        { ...s.nodes[1], id: id(7), host: '10.0.0.1', addr: '10.0.0.1:7007' } as (typeof s.nodes)[number],
      ],
    };
    expect(bestReplica(s, id(1))?.id).toBe(id(4));
    s = withNode(s, 4, { info: infoWith({ master_link_status: 'down' }) });
    expect(bestReplica(s, id(1))?.id).toBe(id(7));
  });

  it('holds an election back only as long as Redis would: own retry window and the masters’ vote wait', () => {
    // cluster-node-timeout 15 s: a replica's own retry window is 2 x max(30 s, 2 s) = 60 s; votes wait 30 s.
    const own = planFailover(healthy(), id(4), undefined, { sinceElectedMs: 20_000 });
    if (typeof own === 'string') throw new Error(own);
    expect(own.allowed).toBe(false);
    expect(check(own, 'election not held back by a recent one')?.detail).toMatch(/Wait 40 s more/);
    // The wait as a number, for the wizard's countdown.
    expect(check(own, 'election not held back by a recent one')?.waitMs).toBe(40_000);
    expect(blockingCheck(own.checks)).toMatchObject({ check: { waitMs: 40_000 }, more: 0 });
    const votes = planFailover(healthy(), id(4), undefined, { sinceVoteForMasterMs: 10_000 });
    expect(typeof votes !== 'string' && check(votes, 'election not held back by a recent one')?.detail).toMatch(
      /Wait 20 s more.*refuses to vote/,
    );
    // Failback: the old master never ran the election, and nobody voted for a replica of the new master.
    const failback = planFailover(healthy(), id(4), undefined, {});
    expect(typeof failback !== 'string' && failback.allowed).toBe(true);
    const later = planFailover(healthy(), id(4), undefined, { sinceElectedMs: 61_000, sinceVoteForMasterMs: 31_000 });
    expect(typeof later !== 'string' && later.allowed).toBe(true);
    const takeover = planFailover(healthy(), id(4), 'takeover', { sinceElectedMs: 1000 });
    expect(typeof takeover !== 'string' && check(takeover, 'election not held back by a recent one')?.status).toBe(
      'pass',
    );
  });

  it('recommends TAKEOVER when every answering master flags the rest PFAIL (no majority can ever agree on FAIL)', () => {
    let s = withNode(healthy(), 2, {
      reachable: false,
      info: undefined,
      flags: ['master', 'fail?'],
      pfailSeenBy: [id(1), id(4), id(6)],
    });
    s = withNode(s, 3, {
      reachable: false,
      info: undefined,
      flags: ['master', 'fail?'],
      pfailSeenBy: [id(1), id(4), id(6)],
    });
    expect(plan(s, 5).recommendedMode).toBe('takeover');
    // One master suspected by only some: still DEFAULT.
    const one = withNode(healthy(), 2, { flags: ['master', 'fail?'], pfailSeenBy: [id(4)] });
    expect(plan(one, 5).recommendedMode).toBe('default');
  });
});
