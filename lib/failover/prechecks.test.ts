import { describe, expect, it } from 'vitest';
import { healthy, id, infoWith, withNode } from '../findings/snapshotFixture';
import { bestReplica, planFailover } from './prechecks';

const plan = (s: Parameters<typeof planFailover>[0], replica: number, mode?: Parameters<typeof planFailover>[2]) => {
  const p = planFailover(s, id(replica), mode);
  if (typeof p === 'string') throw new Error(p);
  return p;
};
const status = (p: ReturnType<typeof plan>, name: string) => p.checks.find((c) => c.name === name)?.status;

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
    expect(p.checks.every((c) => c.status === 'pass')).toBe(true);
    expect(p.explanation).toMatch(/nothing acknowledged is lost/);
  });

  it('blocks default mode when the replica link is down', () => {
    const p = plan(withNode(healthy(), 4, { info: infoWith({ master_link_status: 'down', slave_repl_offset: 0 }) }), 4);
    expect(status(p, 'master_link_status')).toBe('fail');
    expect(p.allowed).toBe(false);
  });

  it('recommends FORCE when the master is unreachable, and explains the data loss', () => {
    const s = withNode(healthy(), 1, { reachable: false, flags: ['master', 'fail?'], info: undefined });
    const p = plan(s, 4);
    expect(p).toMatchObject({ recommendedMode: 'force', mode: 'force', allowed: true, adminOnly: true });
    expect(p.explanation).toMatch(/LOST/);
    expect(plan(s, 4, 'default').allowed).toBe(false);
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

  it('blocks a new failover of a shard within 4 x cluster-node-timeout of the last one', () => {
    const recent = planFailover(healthy(), id(4), undefined, { sinceLastFailoverMs: 20_000 });
    if (typeof recent === 'string') throw new Error(recent);
    expect(recent.allowed).toBe(false);
    expect(recent.checks.find((c) => c.name === 'time since this shard last failed over')?.detail).toMatch(
      /Wait 40 s more/,
    );
    const later = planFailover(healthy(), id(4), undefined, { sinceLastFailoverMs: 61_000 });
    expect(typeof later !== 'string' && later.allowed).toBe(true);
  });
});
