import { describe, expect, it } from 'vitest';
import { drainOutcomeNote, drainRoleCheck, unreplicatedTargetChecks } from './roleNotes';
import { testNode, testReplica } from './testNodes';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const masters = () => [
  testNode(A, '10.0.0.1:7000', { slots: [[0, 8191]] }),
  testNode(B, '10.0.0.2:7000', { slots: [[8192, 16383]] }),
  testNode(C, '10.0.0.3:7000'),
];

describe('unreplicatedTargetChecks', () => {
  it('warns for a master receiving slots with no replica, naming the master replica migration may take one from', () => {
    const nodes = [
      ...masters(),
      testReplica('r1'.padEnd(40, '1'), '10.0.0.4:7000', A),
      testReplica('r2'.padEnd(40, '2'), '10.0.0.5:7000', A),
      testReplica('r3'.padEnd(40, '3'), '10.0.0.6:7000', B),
    ];
    const c = nodes[2];
    if (!c) throw new Error('no C');
    const checks = unreplicatedTargetChecks(nodes, [c], () => 5461);
    expect(checks).toEqual([expect.objectContaining({ status: 'warn', name: 'replica of 10.0.0.3:7000' })]);
    expect(checks[0]?.detail).toBe(
      '10.0.0.3:7000 has no replica: its 5461 slots cannot fail over, and Redis may move a replica to it from a master with 2 (replica migration: 10.0.0.1:7000)',
    );
  });

  it('says no replica can come by migration when no master has one to spare, and nothing for a replicated target', () => {
    const nodes = [...masters(), testReplica('r1'.padEnd(40, '1'), '10.0.0.4:7000', A)];
    const [a, , c] = nodes;
    if (!a || !c) throw new Error('no masters');
    expect(unreplicatedTargetChecks(nodes, [a], () => 1)).toEqual([]);
    expect(unreplicatedTargetChecks(nodes, [c], () => 10)[0]?.detail).toMatch(/no master has a replica to spare/);
  });
});

describe('the drain and the role Redis gives the emptied master', () => {
  it('says the plan turns it into a replica by default, and not when replica migration is off and slots spread', () => {
    const [a] = masters();
    if (!a) throw new Error('no A');
    expect(drainRoleCheck(a, 2)).toMatchObject({ status: 'warn', value: 'becomes a replica' });
    expect(drainRoleCheck(a, 2).detail).toMatch(/Remove node… will then take it out as a replica/);
    const off = { ...a, clusterConfig: { 'cluster-allow-replica-migration': 'no' } };
    expect(drainRoleCheck(off, 2)).toMatchObject({ status: 'pass', value: 'stays a master, empty' });
    expect(drainRoleCheck(off, 1)).toMatchObject({ value: 'becomes a replica' });
  });

  it('reports after the job what the nodes say it is now', () => {
    const r = 'r1'.padEnd(40, '1');
    const nodes = [
      testReplica(A, '10.0.0.1:7000', B),
      testNode(B, '10.0.0.2:7000', { slots: [[0, 16383]] }),
      testReplica(r, '10.0.0.4:7000', B),
    ];
    expect(drainOutcomeNote(nodes, A, [r])).toBe(
      '10.0.0.1:7000 is now a replica of 10.0.0.2:7000 (Redis does this to an emptied master); its replica 10.0.0.4:7000 followed; Remove node… will take it out as a replica',
    );
    const empty = [testNode(A, '10.0.0.1:7000', { clusterConfig: { 'cluster-allow-replica-migration': 'no' } })];
    expect(drainOutcomeNote(empty, A)).toBe('10.0.0.1:7000 is a master with no slots; Remove node… will take it out');
  });
});
