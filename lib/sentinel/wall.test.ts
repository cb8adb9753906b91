import { describe, expect, it } from 'vitest';
import { sentinelFindings } from './findings';
import { healthySentinel, MASTER, REPLICAS, withSentinelsDown } from './snapshotFixture';
import { sentinelWallSnapshot } from './wall';

const aged = (s = healthySentinel()) => ({ ...s, ageMs: 300, pollIntervalMs: 1000 });

describe('sentinelWallSnapshot', () => {
  it("a healthy deployment: OK, 3 of 3 data nodes, 1 master shard up, the master's memory and ops/s", () => {
    const wall = sentinelWallSnapshot(aged(), []);
    expect(wall).toMatchObject({
      kind: 'sentinel',
      clusterId: 's',
      health: { health: 'ok' },
      nodesUp: 3,
      nodesKnown: 3,
      nodesNotPolled: 0,
      masters: 1,
      memory: { used: 1_000_000, max: 10_000_000, ratio: 0.1, masters: 1 },
      opsPerSec: 50,
      shards: [{ masterId: MASTER, addr: MASTER, state: 'up', slotCount: 0, slotLabel: 'master' }],
      sentinelsUp: 3,
      sentinelsTotal: 3,
      haproxyOk: true,
      nodes: [
        { addr: MASTER, role: 'master', state: 'up' },
        { addr: REPLICAS[0], role: 'replica', state: 'up' },
        { addr: REPLICAS[1], role: 'replica', state: 'up' },
      ],
    });
    // Nothing of the snapshot beyond the glance: no sentinels list, no HAProxy servers.
    expect(Object.keys(wall)).not.toContain('sentinels');
    expect(Object.keys(wall)).not.toContain('haproxy');
  });

  it('two sentinels down: DEGRADED with the quorum headline; the master unreachable shown so', () => {
    const s = withSentinelsDown(healthySentinel(), 2);
    if (!s.master) throw new Error('fixture');
    s.master = { ...s.master, reachable: false, role: null };
    const wall = sentinelWallSnapshot(aged(s), sentinelFindings(s));
    expect(wall.health.health).toBe('degraded');
    expect(wall.health.worst?.code).toBe('sentinel_quorum');
    expect(wall.sentinelsUp).toBe(1);
    expect(wall.shards[0]?.state).toBe('unreachable');
    expect(wall.opsPerSec).toBe(0);
    expect(wall.nodesUp).toBe(2);
  });

  it('no haproxy configured: haproxyOk absent; HAProxy on the wrong node: false', () => {
    const s = healthySentinel();
    delete s.haproxy;
    expect('haproxyOk' in sentinelWallSnapshot(aged(s), [])).toBe(false);
    const t = healthySentinel();
    if (!t.haproxy) throw new Error('fixture');
    t.haproxy.servers = t.haproxy.servers.map((x) => ({ ...x, routed: x.addr === REPLICAS[0] }));
    expect(sentinelWallSnapshot(aged(t), sentinelFindings(t)).haproxyOk).toBe(false);
  });

  it('a replica that answers role:master itself is "rogueMaster" on the strip, never a green replica (T#3)', () => {
    const s = healthySentinel();
    s.replicas = s.replicas.map((r) => (r.addr === REPLICAS[0] ? { ...r, role: 'master' as const } : r));
    const wall = sentinelWallSnapshot(aged(s), sentinelFindings(s));
    expect(wall.nodes.find((n) => n.addr === REPLICAS[0])).toEqual({
      addr: REPLICAS[0],
      role: 'replica',
      state: 'rogueMaster',
    });
    expect(wall.nodes.find((n) => n.addr === MASTER)?.state).toBe('up');
  });
});
