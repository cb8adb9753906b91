import { describe, expect, it } from 'vitest';
import { parseClusterNodeLine } from '@/lib/redis/clusterNodes';
import { type FixInputNode, planFix, slotsToInspect } from './fix';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const R = 'd'.repeat(40);

/** A master's own line: slot fields as CLUSTER NODES prints them ("0-5460", "[7->-<id>]", "[7-<-<id>]"). */
function master(id: string, port: number, slotFields: string, reachable = true): FixInputNode {
  const own = parseClusterNodeLine(
    `${id} 10.0.0.1:${port}@${port + 10000} myself,master - 0 0 1 connected ${slotFields}`.trim(),
  );
  return { id, addr: `10.0.0.1:${port}`, role: 'master', reachable, own };
}
const replica: FixInputNode = {
  id: R,
  addr: '10.0.0.1:7004',
  role: 'replica',
  reachable: true,
  own: parseClusterNodeLine(`${R} 10.0.0.1:7004@17004 myself,slave ${A} 0 0 1 connected`),
};

function keys(entries: Record<number, Record<string, number>>): Map<number, Map<string, number>> {
  return new Map(Object.entries(entries).map(([slot, byNode]) => [Number(slot), new Map(Object.entries(byNode))]));
}

const full = (a: string, b: string, c: string) => [master(A, 7001, a), master(B, 7002, b), master(C, 7003, c)];

describe('planFix', () => {
  it('has nothing to do on a healthy cluster, even with a master unreachable elsewhere', () => {
    const nodes = full('0-5460', '5461-10922', '10923-16383');
    expect(slotsToInspect(nodes)).toEqual([]);
    expect(planFix({ nodes, keys: new Map() })).toEqual({ actions: [], unhandled: [], notes: [] });
  });

  it('case 1: migrating on the source and importing on the target finishes the move to the target', () => {
    const nodes = [...full(`0-5460 [100->-${B}]`, `5461-10922 [100-<-${A}]`, '10923-16383'), replica];
    expect(slotsToInspect(nodes)).toEqual([100]);
    // The target holds no keys yet (with keys it would be a second potential owner: see the next tests).
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 3 } }) });
    expect(plan.unhandled).toEqual([]);
    expect(plan.actions).toHaveLength(1);
    const [action] = plan.actions;
    expect(action).toMatchObject({ slot: 100, case: 'migrating_and_importing', owner: B, moveKeysFrom: [A] });
    expect(action?.steps).toEqual([
      `CLUSTER SETSLOT 100 IMPORTING ${A} on 10.0.0.1:7002`,
      `CLUSTER SETSLOT 100 MIGRATING ${B} on 10.0.0.1:7001`,
      'move 3 keys from 10.0.0.1:7001 to 10.0.0.1:7002 (MIGRATE, 10 keys a batch)',
      `CLUSTER SETSLOT 100 NODE ${B} on 10.0.0.1:7002`,
      `CLUSTER SETSLOT 100 NODE ${B} on 10.0.0.1:7001`,
      `CLUSTER SETSLOT 100 NODE ${B} on 10.0.0.1:7003`,
    ]);
  });

  it('a move cut short with keys on both sides goes to the side with more keys: rolled back or forward', () => {
    // redis-cli counts a non-owner holding keys as a second potential owner, so there is no single owner: the master
    // with the most keys takes the slot and the other side's keys move to it (case 2), not the move finished.
    const nodes = full(`0-5460 [100->-${B}]`, `5461-10922 [100-<-${A}]`, '10923-16383');
    const back = planFix({ nodes, keys: keys({ 100: { [A]: 5, [B]: 2 } }) });
    expect(back.actions.map((a) => [a.case, a.owner, a.moveKeysFrom])).toEqual([['importing_only', A, [B]]]);
    const forward = planFix({ nodes, keys: keys({ 100: { [A]: 2, [B]: 5 } }) });
    expect(forward.actions.map((a) => [a.case, a.owner, a.moveKeysFrom])).toEqual([['importing_only', B, [A]]]);
    expect(forward.actions[0]?.steps.slice(0, 6)).toEqual([
      'no single owner: 10.0.0.1:7002 has the most keys (5) and takes it',
      'CLUSTER SETSLOT 100 STABLE on 10.0.0.1:7002',
      'CLUSTER DELSLOTS 100, ADDSLOTS 100, BUMPEPOCH (one MULTI) on 10.0.0.1:7002',
      'CLUSTER DELSLOTS 100 on 10.0.0.1:7001',
      `CLUSTER SETSLOT 100 NODE ${B} on 10.0.0.1:7001`,
      `CLUSTER SETSLOT 100 IMPORTING ${B} on 10.0.0.1:7001`,
    ]);
  });

  it('case 1 after the target was already given the slot: the source still migrating, keys on both', () => {
    // SETSLOT NODE reached the target only: both claim it, so the one with the most keys wins first; here the target.
    const nodes = full(`0-5460 [100->-${B}]`, '100 5461-10922', '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 1, [B]: 5 } }) });
    expect(plan.actions.map((a) => [a.case, a.owner])).toEqual([['importing_only', B]]);
    expect(plan.actions[0]?.moveKeysFrom).toEqual([A]);
    expect(plan.actions[0]?.steps[0]).toBe('no single owner: 10.0.0.1:7002 has the most keys (5) and takes it');
  });

  it('case 2: importing only moves the importing node keys back to the owner and closes it', () => {
    const nodes = full('0-5460', `5461-10922 [100-<-${A}]`, '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 4, [B]: 2 } }) });
    expect(plan.actions).toHaveLength(1);
    expect(plan.actions[0]).toMatchObject({ case: 'importing_only', owner: A, moveKeysFrom: [B] });
    expect(plan.actions[0]?.steps).toEqual([
      'no single owner: 10.0.0.1:7001 has the most keys (4) and takes it',
      'CLUSTER SETSLOT 100 STABLE on 10.0.0.1:7001',
      'CLUSTER DELSLOTS 100, ADDSLOTS 100, BUMPEPOCH (one MULTI) on 10.0.0.1:7001',
      'CLUSTER DELSLOTS 100 on 10.0.0.1:7002',
      `CLUSTER SETSLOT 100 NODE ${A} on 10.0.0.1:7002`,
      `CLUSTER SETSLOT 100 IMPORTING ${A} on 10.0.0.1:7002`,
      'move 2 keys from 10.0.0.1:7002 to 10.0.0.1:7001 (MIGRATE, 10 keys a batch)',
      'CLUSTER SETSLOT 100 STABLE on 10.0.0.1:7002',
      `CLUSTER SETSLOT 100 NODE ${A} on 10.0.0.1:7002`,
      `CLUSTER SETSLOT 100 NODE ${A} on 10.0.0.1:7003`,
    ]);
  });

  it('case 2 without keys on the importing node only closes it', () => {
    const nodes = full('0-5460', `5461-10922 [100-<-${A}]`, '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 4 } }) });
    expect(plan.actions[0]).toMatchObject({ case: 'importing_only', owner: A, moveKeysFrom: [] });
    expect(plan.actions[0]?.steps).toEqual([
      'CLUSTER SETSLOT 100 STABLE on 10.0.0.1:7002',
      `CLUSTER SETSLOT 100 NODE ${A} on 10.0.0.1:7002`,
      `CLUSTER SETSLOT 100 NODE ${A} on 10.0.0.1:7003`,
    ]);
  });

  it('a master holding keys of a slot it neither owns nor marks is treated as importing', () => {
    const nodes = full('0-5460', `5461-10922 [100-<-${A}]`, '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 4, [C]: 1 } }) });
    expect(plan.actions[0]).toMatchObject({ case: 'importing_only', owner: A, moveKeysFrom: [C] });
  });

  it('case 3: one migrating, several importing: moves to the node the migrating side names, closes the others', () => {
    const nodes = full(`0-5460 [100->-${C}]`, `5461-10922 [100-<-${A}]`, `10923-16383 [100-<-${A}]`);
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 3 } }) });
    expect(plan.actions[0]).toMatchObject({ case: 'migrating_many_importing', owner: C, moveKeysFrom: [A] });
    expect(plan.actions[0]?.steps.at(-1)).toBe('CLUSTER SETSLOT 100 STABLE on 10.0.0.1:7002');
  });

  it('case 3 with no importing node being the named target closes the slot everywhere, the owner keeps it', () => {
    const D = 'e'.repeat(40);
    const nodes = full(`0-5460 [100->-${D}]`, `5461-10922 [100-<-${A}]`, `10923-16383 [100-<-${A}]`);
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 3 } }) });
    expect(plan.actions[0]).toMatchObject({ case: 'migrating_many_importing', owner: A, moveKeysFrom: [] });
    expect(plan.actions[0]?.steps).toHaveLength(3);
  });

  it('case 3 with keys on an importing node: that node is a second potential owner, so it becomes case 2', () => {
    const nodes = full(`0-5460 [100->-${C}]`, `5461-10922 [100-<-${A}]`, `10923-16383 [100-<-${A}]`);
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 3, [C]: 1 } }) });
    expect(plan.actions.map((a) => [a.case, a.owner, a.moveKeysFrom])).toEqual([['importing_only', A, [C]]]);
  });

  it('two masters migrating the same slot: redis-cli cannot fix it', () => {
    const nodes = full(`0-5460 [100->-${C}]`, `5461-10922 [100->-${C}]`, '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 3 } }) });
    expect(plan.actions).toEqual([]);
    expect(plan.unhandled).toEqual([{ slot: 100, why: expect.stringContaining("can't fix this slot yet") }]);
  });

  it('case 4: migrating with no importing and no keys: closed', () => {
    const nodes = full(`0-5460 [100->-${B}]`, '5461-10922', '10923-16383');
    const plan = planFix({ nodes, keys: keys({}) });
    expect(plan.actions).toEqual([
      {
        slot: 100,
        case: 'migrating_no_keys',
        owner: A,
        steps: ['CLUSTER SETSLOT 100 STABLE on 10.0.0.1:7001'],
        moveKeysFrom: [],
        ops: [{ op: 'stable', node: A }],
      },
    ]);
  });

  it('migrating with keys and nothing importing: the owner keeps them, the slot is closed', () => {
    const nodes = full(`0-5460 [100->-${B}]`, '5461-10922', '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 7 } }) });
    expect(plan.actions.map((a) => [a.case, a.owner, a.moveKeysFrom])).toEqual([['migrating_only', A, []]]);
  });

  it('migrating with keys on a node that does not own it, the target holding some too: keys to the one with most', () => {
    // Source gave the slot up (SETSLOT NODE reached it) but kept its marker; the target lost its importing marker.
    const nodes = full(`0-99 101-5460 [100->-${B}]`, '5461-10922', '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 2, [B]: 6 } }) });
    expect(plan.actions.map((a) => [a.case, a.owner])).toEqual([['importing_only', B]]);
    expect(plan.actions[0]?.moveKeysFrom).toEqual([A]);
  });

  it('an open slot with a single holder that does not claim it is closed, then covered: two actions', () => {
    const nodes = full(`0-99 101-5460 [100->-${B}]`, '5461-10922', '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 2 } }) });
    expect(plan.actions.map((a) => [a.case, a.owner])).toEqual([
      ['migrating_only', A],
      ['uncovered_one_holder', A],
    ]);
  });

  it('uncovered without keys: the master with the fewest slots, the spread updated slot by slot', () => {
    const nodes = full('0-5460', '5461-10921', '10925-16383');
    expect(slotsToInspect(nodes)).toEqual([10922, 10923, 10924]);
    const plan = planFix({ nodes, keys: keys({}) });
    // B has 5461 slots, C 5459, A 5461: C takes the first two, then all tie at 5461 and A (listed first) wins.
    expect(plan.actions.map((a) => [a.slot, a.case, a.owner])).toEqual([
      [10922, 'uncovered_no_keys', C],
      [10923, 'uncovered_no_keys', C],
      [10924, 'uncovered_no_keys', A],
    ]);
    expect(plan.actions[0]?.steps).toEqual([
      'CLUSTER DELSLOTS 10922, ADDSLOTS 10922, BUMPEPOCH (one MULTI) on 10.0.0.1:7003',
    ]);
    expect(plan.notes.join('\n')).toContain('at random');
  });

  it('uncovered with keys on one node: that node', () => {
    const nodes = full('0-5460', '5461-10921', '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 10922: { [A]: 5 } }) });
    expect(plan.actions.map((a) => [a.case, a.owner, a.moveKeysFrom])).toEqual([['uncovered_one_holder', A, []]]);
  });

  it('uncovered with keys on several: the most keys wins, the others move there; a tie goes to the first listed', () => {
    const nodes = full('0-5460', '5461-10921', '10923-16383');
    const plan = planFix({ nodes, keys: keys({ 10922: { [A]: 2, [B]: 9, [C]: 1 } }) });
    expect(plan.actions[0]).toMatchObject({ case: 'uncovered_many_holders', owner: B, moveKeysFrom: [A, C] });
    expect(plan.actions[0]?.steps.slice(0, 5)).toEqual([
      'CLUSTER DELSLOTS 10922, ADDSLOTS 10922, SETSLOT 10922 STABLE, BUMPEPOCH (one MULTI) on 10.0.0.1:7002',
      `CLUSTER SETSLOT 10922 NODE ${B} on 10.0.0.1:7001`,
      `CLUSTER SETSLOT 10922 IMPORTING ${B} on 10.0.0.1:7001`,
      'move 2 keys from 10.0.0.1:7001 to 10.0.0.1:7002 (MIGRATE, 10 keys a batch)',
      'CLUSTER SETSLOT 10922 STABLE on 10.0.0.1:7001',
    ]);
    const tie = planFix({ nodes, keys: keys({ 10922: { [B]: 3, [C]: 3 } }) });
    expect(tie.actions[0]).toMatchObject({ owner: B, moveKeysFrom: [C] });
    expect(tie.notes.join('\n')).toContain('tie');
  });

  it('refuses while a master is unreachable, and plans with its slots uncovered when told to go on', () => {
    const nodes = [
      master(A, 7001, `0-5460 [100->-${B}]`),
      master(B, 7002, '5461-10922'),
      { ...master(C, 7003, ''), reachable: false, own: undefined },
    ];
    const refused = planFix({ nodes, keys: keys({}) });
    expect(refused.actions).toEqual([]);
    expect(refused.refused).toContain('10.0.0.1:7003');
    const forced = planFix({ nodes, keys: keys({}), withUnreachableMasters: true });
    expect(forced.refused).toBeUndefined();
    expect(forced.actions[0]).toMatchObject({ slot: 100, case: 'migrating_no_keys' });
    expect(forced.actions.filter((a) => a.case === 'uncovered_no_keys')).toHaveLength(16384 - 10923);
  });

  it('a marker only a replica shows is left unfixed (redis-cli fixes masters only)', () => {
    const onReplica: FixInputNode = {
      ...replica,
      own: parseClusterNodeLine(`${R} 10.0.0.1:7004@17004 myself,slave ${A} 0 0 1 connected [100->-${B}]`),
    };
    const nodes = [...full('0-5460', '5461-10922', '10923-16383'), onReplica];
    const plan = planFix({ nodes, keys: keys({ 100: { [A]: 1 } }) });
    expect(plan.actions).toEqual([]);
    expect(plan.unhandled[0]?.slot).toBe(100);
  });

  it('does not change the key counts it was given', () => {
    const nodes = full(`0-5460 [100->-${B}]`, `5461-10922 [100-<-${A}]`, '10923-16383');
    const counts = keys({ 100: { [A]: 3 } });
    planFix({ nodes, keys: counts });
    expect(counts.get(100)?.get(A)).toBe(3);
  });
});
