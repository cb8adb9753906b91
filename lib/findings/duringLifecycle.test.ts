import { describe, expect, it } from 'vitest';
import { evaluateFindings } from '.';
import { duringLifecycle } from './duringLifecycle';
import { healthy, id } from './snapshotFixture';

/** The fixture cluster with replica 4 (of master 1) syncing: master_link_status:down. */
function syncing() {
  const snap = healthy();
  snap.nodes = snap.nodes.map((n) =>
    n.id === id(4) && n.info ? { ...n, info: { ...n.info, master_link_status: 'down' } } : n,
  );
  return evaluateFindings(snap);
}
const linkDown = (findings: ReturnType<typeof syncing>) => findings.find((f) => f.code === 'replication_link_down');

describe('duringLifecycle', () => {
  it("says the link of an add-node job's new replica is that job's initial sync: information, nothing to do", () => {
    const jobs = [
      { id: 'j7', kind: 'add-node', state: 'running' as const, params: { role: 'replica', nodeId: id(4) } },
    ];
    const out = linkDown(duringLifecycle(syncing(), jobs));
    expect(out).toMatchObject({ severity: 'info' });
    expect(out?.message).toMatch(/^Being handled by the running add-node job j7: Replica /);
    expect(out?.action).toMatch(/^Nothing to do: initial sync of the job's new replica/);
  });

  it('names the move-replica job of the moved replica and the remove-node job of a re-homed replica', () => {
    const move = [{ id: 'm1', kind: 'move-replica', state: 'running' as const, params: { replicaId: id(4) } }];
    expect(linkDown(duringLifecycle(syncing(), move))?.message).toMatch(/running move-replica job m1/);
    const remove = [
      {
        id: 'r1',
        kind: 'remove-node',
        state: 'running' as const,
        params: { nodeId: id(2), rehome: [{ replicaId: id(4), masterId: id(1) }] },
      },
    ];
    expect(linkDown(duringLifecycle(syncing(), remove))).toMatchObject({ severity: 'info' });
  });

  it('leaves the finding critical when no running job owns that replica (ended, other node, other kind)', () => {
    for (const job of [
      { id: 'a', kind: 'add-node', state: 'succeeded' as const, params: { role: 'replica', nodeId: id(4) } },
      { id: 'b', kind: 'add-node', state: 'running' as const, params: { role: 'replica', nodeId: id(5) } },
      { id: 'c', kind: 'bgsave', state: 'running' as const, params: { nodeId: id(4) } },
    ]) {
      const out = linkDown(duringLifecycle(syncing(), [job]));
      expect(out?.severity).toBe('critical');
      expect(out?.message).not.toMatch(/Being handled/);
    }
  });
});
