import { describe, expect, it } from 'vitest';
import { planSentinelFailover } from './failoverPlan';
import { healthySentinel, MASTER, REPLICAS } from './snapshotFixture';
import type { HaproxyServer, SentinelSnapshot } from './types';

// The guided failover's pre-checks on HAProxy and on a second node answering role:master (T#2: with HAProxy dead, or
// during a split brain, every pre-check used to pass).

const find = (snapshot: SentinelSnapshot, name: string) =>
  planSentinelFailover(snapshot).checks.find((c) => c.name === name);

const routedTo = (snapshot: SentinelSnapshot, up: string[]): SentinelSnapshot => {
  const haproxy = snapshot.haproxy;
  if (!haproxy) throw new Error('fixture without HAProxy');
  const servers = haproxy.servers.map(
    (s): HaproxyServer => ({
      ...s,
      status: up.includes(s.addr ?? '') ? 'UP' : 'DOWN',
      routed: up.includes(s.addr ?? ''),
    }),
  );
  return { ...snapshot, haproxy: { ...haproxy, servers } };
};

describe('planSentinelFailover: HAProxy in front', () => {
  it('passes both HAProxy checks when its stats answer and it routes to the master alone', () => {
    const plan = planSentinelFailover(healthySentinel());
    expect(plan.checks.find((c) => c.name === 'HAProxy stats readable')?.status).toBe('pass');
    const routes = plan.checks.find((c) => c.name === 'HAProxy routes to the master only');
    expect(routes?.status).toBe('pass');
    expect(routes?.value).toContain(MASTER);
    expect(plan.allowed).toBe(true);
    // None configured: no HAProxy check at all.
    const { haproxy: _none, ...without } = healthySentinel();
    expect(planSentinelFailover(without).checks.some((c) => c.name.startsWith('HAProxy'))).toBe(false);
  });

  it('warns, naming the error, when the stats stopped answering: the routing cannot be verified, the failover is allowed', () => {
    const healthy = healthySentinel();
    const dead: SentinelSnapshot = {
      ...healthy,
      haproxy: {
        backend: 'redis',
        source: 'socket',
        reachable: false,
        error: 'connect ECONNREFUSED /run/haproxy/admin.sock',
        servers: [],
        lastOkAt: '2026-12-05T11:59:58.000Z',
        failingSince: '2026-12-05T12:00:00.000Z',
      },
    };
    const plan = planSentinelFailover(dead);
    const readable = plan.checks.find((c) => c.name === 'HAProxy stats readable');
    expect(readable?.status).toBe('warn');
    expect(readable?.value).toMatch(/ECONNREFUSED/);
    expect(readable?.detail).toMatch(/ECONNREFUSED \/run\/haproxy\/admin\.sock/);
    expect(readable?.detail).toMatch(/cannot verify where HAProxy routes/);
    expect(readable?.detail).toMatch(/11:59:58 UTC.*no path to Redis/);
    expect(plan.checks.some((c) => c.name === 'HAProxy routes to the master only')).toBe(false);
    expect(plan.allowed).toBe(true);
  });

  it('warns when HAProxy routes to two nodes at once, naming both: a split brain, and what failing over means', () => {
    const routes = find(routedTo(healthySentinel(), [MASTER, REPLICAS[0]]), 'HAProxy routes to the master only');
    expect(routes?.status).toBe('warn');
    expect(routes?.value).toMatch(/to 2 servers at once/);
    expect(routes?.value).toContain(MASTER);
    expect(routes?.value).toContain(REPLICAS[0]);
    expect(routes?.detail).toMatch(/split brain/);
    expect(routes?.detail).toMatch(/does not stop those writes/);
  });

  it('warns when HAProxy routes to another node than the sentinels master, naming it', () => {
    const routes = find(routedTo(healthySentinel(), [REPLICAS[1]]), 'HAProxy routes to the master only');
    expect(routes?.status).toBe('warn');
    expect(routes?.value).toContain(REPLICAS[1]);
    expect(routes?.detail).toContain(`theirs is ${MASTER}`);
  });

  it('warns when HAProxy routes to no node', () => {
    const routes = find(routedTo(healthySentinel(), []), 'HAProxy routes to the master only');
    expect(routes?.status).toBe('warn');
    expect(routes?.detail).toMatch(/reach no Redis now/);
  });
});

describe('planSentinelFailover: a second node answering role:master', () => {
  const rogue = (knownBySentinels: number): SentinelSnapshot => {
    const healthy = healthySentinel();
    return {
      ...healthy,
      replicas: healthy.replicas.map((r) =>
        r.addr === REPLICAS[0]
          ? { ...r, role: 'master', masterAddr: undefined, linkUp: undefined, knownBySentinels }
          : r,
      ),
    };
  };

  it('fails when a replica the sentinels know answers role:master: SENTINEL FAILOVER could promote it', () => {
    expect(find(healthySentinel(), 'no second node answering role:master')?.status).toBe('pass');
    const plan = planSentinelFailover(rogue(3));
    const second = plan.checks.find((c) => c.name === 'no second node answering role:master');
    expect(second?.status).toBe('fail');
    expect(second?.value).toBe(REPLICAS[0]);
    expect(second?.detail).toMatch(/may promote it/);
    expect(second?.detail).toContain('REPLICAOF 10.0.0.1 6379');
    expect(plan.allowed).toBe(false);
  });

  it('only warns for a node no sentinel knows: the failover neither promotes nor reconfigures it', () => {
    const plan = planSentinelFailover(rogue(0));
    expect(plan.checks.find((c) => c.name === 'no second node answering role:master')?.status).toBe('warn');
    expect(plan.allowed).toBe(true);
  });
});
