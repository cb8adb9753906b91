import { describe, expect, it } from 'vitest';
import { evaluateFindings } from './index';
import { healthy, id, withNode } from './snapshotFixture';

const find = (s: Parameters<typeof evaluateFindings>[0], code: string) =>
  evaluateFindings(s).filter((f) => f.code === code);

describe('findings from individual views', () => {
  it('names the nodes that report cluster_state:fail while the cluster says ok', () => {
    const s = withNode(withNode(healthy(), 3, { clusterState: 'fail' }), 6, { clusterState: 'fail' });
    const [f] = find(s, 'cluster_state_fail_on_some');
    expect(f?.severity).toBe('critical');
    expect(f?.nodeIds).toEqual([id(3), id(6)]);
  });

  it('finds a replica of a master no view knows, and one only some views lack', () => {
    const orphan = withNode(healthy(), 4, { masterId: 'f'.repeat(40) });
    expect(find(orphan, 'replica_of_unknown_master')[0]?.nodeIds).toEqual([id(4)]);
    const seenByOne = withNode(healthy(), 2, { unknownMasters: [{ replicaId: id(6), masterId: id(3) }] });
    const [f] = find(seenByOne, 'replica_of_unknown_master');
    expect(f?.nodeIds).toEqual([id(6), id(2)]);
    expect(f?.message).toContain('in the view of');
  });

  it('names the user and the command for every refused command, as info', () => {
    const s = {
      ...withNode(healthy(), 1, {
        refused: [{ command: 'config|get', feature: 'cluster settings', reason: 'not permitted' }],
      }),
      user: 'monitor',
    };
    const [f] = find(s, 'commands_refused');
    expect(f?.severity).toBe('info');
    expect(f?.message).toContain('not permitted for user monitor: config|get');
    expect(f?.action).toContain('ACL SETUSER monitor +config|get');
  });

  it('reports multiple owners by keys: critical when the slot is not open, warning mid-move', () => {
    const keysOn3 = { ...healthy(), slotKeyCounts: [{ slot: 100, keys: { [id(1)]: 4, [id(3)]: 2 } }] };
    const [stray] = find(keysOn3, 'slot_multiple_owners');
    expect(stray).toMatchObject({ severity: 'critical', slots: [100] });
    expect(stray?.nodeIds.sort()).toEqual([id(1), id(3)]);
    let moving = withNode(keysOn3, 1, { migrating: [{ slot: 100, to: id(3) }] });
    moving = withNode(moving, 3, { importing: [{ slot: 100, from: id(1) }] });
    expect(find(moving, 'slot_multiple_owners')[0]?.severity).toBe('warning');
    const onlyOwner = { ...healthy(), slotKeyCounts: [{ slot: 100, keys: { [id(1)]: 4, [id(3)]: 0 } }] };
    expect(find(onlyOwner, 'slot_multiple_owners')).toEqual([]);
  });
});
