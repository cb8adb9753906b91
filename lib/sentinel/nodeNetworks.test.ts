import { describe, expect, it } from 'vitest';
import { planSentinelFailover } from './failoverPlan';
import { sentinelFindings } from './findings';
import { healthySentinel, MASTER, REPLICAS } from './snapshotFixture';
import type { SentinelDataNode, SentinelSnapshot } from './types';
import { sentinelWallSnapshot } from './wall';

function notPolled(node: SentinelDataNode): SentinelDataNode {
  const { addr, host, knownBySentinels, sentinelFlags, priority } = node;
  return {
    addr,
    host,
    reachable: false,
    error: `not polled: ${addr} is outside nodeNetworks`,
    outsideNodeNetworks: true,
    role: null,
    knownBySentinels,
    sentinelFlags,
    ...(priority !== undefined ? { priority } : {}),
  };
}

function replicaOutside(): SentinelSnapshot {
  const s = healthySentinel();
  s.replicas = s.replicas.map((r) => (r.addr === REPLICAS[0] ? notPolled(r) : r));
  return s;
}

describe('nodeNetworks of a Sentinel deployment', () => {
  it('a replica outside: a critical finding naming it, the sentinels that name it and the action; not "unreachable"', () => {
    const findings = sentinelFindings(replicaOutside());
    const f = findings.find((x) => x.code === 'sentinel_node_outside_networks');
    expect(f?.severity).toBe('critical');
    expect(f?.nodeIds[0]).toBe(REPLICAS[0]);
    expect(f?.headline).toBe(`replica ${REPLICAS[0]} is outside nodeNetworks: not polled`);
    expect(f?.message).toContain("the data nodes' password is never sent there");
    expect(f?.action).toContain('"10.0.0.0/24"');
    expect(findings.map((x) => x.code)).not.toContain('sentinel_replica_unreachable');
    const tile = sentinelWallSnapshot({ ...replicaOutside(), ageMs: 0, pollIntervalMs: 1000 }, findings);
    expect(tile.nodesNotPolled).toBe(1);
  });

  it('the guided failover refuses when the master or a replica Sentinel may promote is outside', () => {
    expect(planSentinelFailover(healthySentinel()).allowed).toBe(true);
    const plan = planSentinelFailover(replicaOutside());
    expect(plan.allowed).toBe(false);
    expect(plan.checks.find((c) => c.name === 'data nodes inside nodeNetworks')).toMatchObject({
      status: 'fail',
      value: `replica ${REPLICAS[0]}`,
    });
    const m = healthySentinel();
    if (!m.master) throw new Error('fixture');
    m.master = notPolled(m.master);
    const refused = planSentinelFailover(m);
    expect(refused.allowed).toBe(false);
    expect(refused.checks.find((c) => c.name === 'data nodes inside nodeNetworks')?.value).toContain(
      `master ${MASTER}`,
    );
  });
});
