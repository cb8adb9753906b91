import { describe, expect, it } from 'vitest';
import { healthy, id, withNode } from '../findings/snapshotFixture';
import { bgsaveTargets } from './bgsaveTargets';

const ids = (nodes: { id: string }[]) => nodes.map((n) => n.id).sort();

describe('bgsaveTargets', () => {
  it('every master, or every node', () => {
    expect(ids(bgsaveTargets(healthy().nodes, 'masters'))).toEqual([id(1), id(2), id(3)]);
    expect(bgsaveTargets(healthy().nodes, 'all')).toHaveLength(6);
  });

  it('leaves out a FAIL node without slots, keeps a FAIL master that still holds slots (its step will fail)', () => {
    let s = withNode(healthy(), 2, { flags: ['master', 'fail'], reachable: false });
    expect(ids(bgsaveTargets(s.nodes, 'masters'))).toEqual([id(1), id(2), id(3)]);
    s = withNode(s, 2, { slots: [], slotCount: 0 });
    expect(ids(bgsaveTargets(s.nodes, 'masters'))).toEqual([id(1), id(3)]);
  });

  it('leaves out a node without an address or listed only by a minority view', () => {
    const s = withNode(withNode(healthy(), 1, { addr: '' }), 3, { notInReference: true });
    expect(ids(bgsaveTargets(s.nodes, 'masters'))).toEqual([id(2)]);
  });
});
