import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { evaluateFindings, type Finding } from '@/lib/findings';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { type CheckReport, redisCliCheck } from '../../scripts/test/redisCliCheck';
import { ClusterCollector } from './collector';

let dev: DevCluster;
let collector: ClusterCollector;

beforeAll(async () => {
  dev = await startThreeHostCluster({ nodeTimeoutMs: 2000 });
  collector = new ClusterCollector(resolvedClusterFor(dev, { nodeDeadlineMs: 500 }));
});
afterAll(async () => {
  collector?.close();
  await dev?.stop();
});

/** The dashboard's findings, read the way redis-cli reports: the same fields as CheckReport. */
function asCheck(snapshot: ClusterSnapshot, findings: Finding[]) {
  const addr = (id: string) => snapshot.nodes.find((n) => n.id === id)?.addr ?? id;
  const open = findings.filter((f) => f.code === 'slot_open');
  const stateOf = (kind: 'migrating' | 'importing') =>
    Object.fromEntries(
      snapshot.nodes
        .filter((n) => n[kind].length)
        .map((n) => [n.addr, n[kind].map((m) => m.slot).sort((a, b) => a - b)]),
    );
  const failed = new Set(findings.filter((f) => f.code === 'node_fail').flatMap((f) => f.nodeIds));
  return {
    agree: !findings.some((f) => f.code === 'config_disagreement'),
    covered: !findings.some((f) => f.code === 'slots_uncovered'),
    openSlots: [...new Set(open.flatMap((f) => f.slots ?? []))].sort((a, b) => a - b),
    migrating: stateOf('migrating'),
    importing: stateOf('importing'),
    withoutReplica: findings
      .filter((f) => f.code === 'master_no_replica')
      .map((f) => addr(f.nodeIds[0] ?? ''))
      .sort(),
    failed: [...failed].map(addr).sort(),
    multipleOwners: Object.fromEntries(
      findings
        .filter((f) => f.code === 'slot_multiple_owners')
        .flatMap((f) => (f.slots ?? []).map((slot) => [slot, f.nodeIds.map(addr).sort()])),
    ),
  };
}

function oracle(report: CheckReport) {
  return {
    agree: report.agree,
    covered: report.covered,
    openSlots: [...report.openSlots].sort((a, b) => a - b),
    migrating: report.migrating,
    importing: report.importing,
    withoutReplica: Object.entries(report.replicasOf)
      .filter(([, n]) => n === 0)
      .map(([a]) => a)
      .sort(),
    failed: [...report.unreachable].sort(),
    multipleOwners: Object.fromEntries(
      Object.entries(report.multipleOwners).map(([slot, addrs]) => [slot, [...addrs].sort()]),
    ),
  };
}

/** Both sides settle (gossip, failover) at their own pace: compare until they match or the deadline passes. */
async function expectParity(entry: DevNode, what: string, extra: (findings: Finding[]) => boolean = () => true) {
  let last: { ours: unknown; theirs: unknown } | undefined;
  await waitFor(
    what,
    async () => {
      const snapshot = await collector.collect();
      const findings = evaluateFindings(snapshot);
      const ours = asCheck(snapshot, findings);
      const theirs = oracle(await redisCliCheck(entry.addr, undefined, { searchMultipleOwners: true }));
      last = { ours, theirs };
      return JSON.stringify(ours) === JSON.stringify(theirs) && extra(findings) ? true : undefined;
    },
    30_000,
    500,
  ).catch((err: Error) => {
    throw new Error(
      `${err.message}\n dashboard: ${JSON.stringify(last?.ours)}\n redis-cli: ${JSON.stringify(last?.theirs)}`,
    );
  });
  return last;
}

const codes = (findings: Finding[]) => findings.map((f) => f.code);

describe('findings match redis-cli --cluster check on the same real cluster', () => {
  it('a healthy cluster', async () => {
    const [a] = dev.masters;
    if (!a) throw new Error('no master');
    const result = await expectParity(a, 'healthy parity');
    expect(result?.theirs).toMatchObject({ agree: true, covered: true, openSlots: [], withoutReplica: [], failed: [] });
  });

  it('an open slot set by hand (MIGRATING on one master, IMPORTING on another)', async () => {
    const [a, b] = dev.masters;
    if (!a || !b) throw new Error('no masters');
    await dev.client(b).call('CLUSTER', 'SETSLOT', '100', 'IMPORTING', a.id);
    await dev.client(a).call('CLUSTER', 'SETSLOT', '100', 'MIGRATING', b.id);
    const result = await expectParity(a, 'open slot parity');
    expect(result?.theirs).toMatchObject({
      openSlots: [100],
      migrating: { [a.addr]: [100] },
      importing: { [b.addr]: [100] },
    });
    await dev.client(a).call('CLUSTER', 'SETSLOT', '100', 'STABLE');
    await dev.client(b).call('CLUSTER', 'SETSLOT', '100', 'STABLE');
    await expectParity(a, 'closed again', (f) => !codes(f).includes('slot_open'));
  });

  it('uncovered slots after CLUSTER DELSLOTS, with nodes disagreeing about them', async () => {
    const [a, b] = dev.masters;
    if (!a || !b) throw new Error('no masters');
    await dev.client(a).call('CLUSTER', 'DELSLOTS', '0', '1', '2');
    const result = await expectParity(b, 'uncovered parity');
    expect(result?.theirs).toMatchObject({ agree: false, covered: false });
    const findings = evaluateFindings(await collector.collect());
    expect(findings.find((f) => f.code === 'slots_uncovered')?.slots).toEqual([0, 1, 2]);
    await dev.client(a).call('CLUSTER', 'ADDSLOTS', '0', '1', '2');
    await expectParity(b, 'covered again', (f) => !codes(f).includes('config_disagreement'));
  });

  it('keys on both sides of an open slot: multiple owners by keys, as --cluster-search-multiple-owners finds', async () => {
    const [first] = dev.masters;
    if (!first) throw new Error('no masters');
    const slot = Number(await dev.client(first).call('CLUSTER', 'KEYSLOT', 'parity{owners}'));
    const ownerId = (await collector.collect()).nodes.find(
      (n) => n.role === 'master' && n.slots.some(([lo, hi]) => slot >= lo && slot <= hi),
    )?.id;
    const a = dev.masters.find((m) => m.id === ownerId);
    const b = dev.masters.find((m) => m.id !== ownerId);
    if (!a || !b) throw new Error('no masters');
    const ca = dev.client(a);
    await ca.call('SET', 'parity{owners}:1', 'stays');
    await ca.call('SET', 'parity{owners}:2', 'moves');
    await dev.client(b).call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', a.id);
    await ca.call('CLUSTER', 'SETSLOT', String(slot), 'MIGRATING', b.id);
    await ca.call('MIGRATE', b.host, String(b.port), '', '0', '5000', 'KEYS', 'parity{owners}:2');
    const result = await expectParity(a, 'multiple owners by keys parity', (f) =>
      codes(f).includes('slot_multiple_owners'),
    );
    expect(result?.theirs).toMatchObject({ openSlots: [slot], multipleOwners: { [slot]: [a.addr, b.addr].sort() } });
    await ca.call('MIGRATE', b.host, String(b.port), '', '0', '5000', 'KEYS', 'parity{owners}:1');
    for (const node of [b, a]) await dev.client(node).call('CLUSTER', 'SETSLOT', String(slot), 'NODE', b.id);
    await dev.client(b).call('DEL', 'parity{owners}:1', 'parity{owners}:2');
    for (const node of [b, a]) await dev.client(node).call('CLUSTER', 'SETSLOT', String(slot), 'NODE', a.id);
    await expectParity(a, 'one owner again', (f) => !codes(f).includes('slot_multiple_owners'));
  });

  it('a failed master (its replica promoted, left without a replica), then a master whose replica died', async () => {
    const [a, , c] = dev.masters;
    const replicaOfC = dev.replicas.find((r) => r.masterId === c?.id);
    const replicaOfA = dev.replicas.find((r) => r.masterId === a?.id);
    if (!a || !c || !replicaOfC || !replicaOfA) throw new Error('no pairs');
    await dev.kill(c);
    const afterFailover = await expectParity(a, 'failed master parity', (f) => codes(f).includes('node_fail'));
    expect(afterFailover?.theirs).toMatchObject({ covered: true, failed: [c.addr], withoutReplica: [replicaOfC.addr] });
    await dev.kill(replicaOfA);
    const noReplica = await expectParity(a, 'master without replica parity', (f) =>
      f.some((x) => x.code === 'node_fail' && x.nodeIds.includes(replicaOfA.id)),
    );
    expect(noReplica?.theirs).toMatchObject({ withoutReplica: [a.addr, replicaOfC.addr].sort() });
  });

  it('a replica of a master its view does not know (CLUSTER FORGET), as redis-cli reports it', async () => {
    const [a, b] = dev.masters;
    const replicaOfB = dev.replicas.find((r) => r.masterId === b?.id);
    if (!a || !b || !replicaOfB) throw new Error('no pair');
    // Forgotten for 60 s on this one node only: its view lists b's replica with a master it does not know.
    await dev.client(a).call('CLUSTER', 'FORGET', b.id);
    let last: { ours: string[]; theirs: string[] } | undefined;
    await waitFor(
      'the unknown master found on both sides',
      async () => {
        const snapshot = await collector.collect();
        const ours = evaluateFindings(snapshot)
          .filter((f) => f.code === 'replica_of_unknown_master')
          .map((f) => snapshot.nodes.find((n) => n.id === f.nodeIds[0])?.addr ?? '')
          .sort();
        const theirs = [...(await redisCliCheck(a.addr)).replicasOfUnknown].sort();
        last = { ours, theirs };
        return theirs.length > 0 && JSON.stringify(ours) === JSON.stringify(theirs) ? true : undefined;
      },
      20_000,
      500,
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}\n dashboard: ${JSON.stringify(last?.ours)}\n redis-cli: ${JSON.stringify(last?.theirs)}`,
      );
    });
    expect(last?.theirs).toEqual([replicaOfB.addr]);
  });
});
