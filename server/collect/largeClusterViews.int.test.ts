// Above FULL_VIEWS_UP_TO nodes the collector reads a share of the nodes' CLUSTER NODES per poll (collector.ts
// viewPlan). What the findings need must still come through, counted in polls of a ClusterCollector against 300
// simulated nodes: an open slot (seen only in two nodes' own views, no CLUSTER INFO change) within VIEW_ROUNDS + 1
// polls, a FAIL within 2 polls, every view read within VIEW_ROUNDS polls in a steady cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { type SimCluster, startSimCluster } from '../../scripts/simcluster/index';
import { resolvedClusterFor } from '../../scripts/test/helpers';
import { ClusterCollector, FULL_VIEWS_UP_TO, VIEW_ROUNDS } from './collector';

const MASTERS = 150;
let sim: SimCluster;
let collector: ClusterCollector;

beforeAll(async () => {
  sim = await startSimCluster({ masters: MASTERS, replicasPerMaster: 1, password: 'sim-views' });
  collector = new ClusterCollector(resolvedClusterFor(sim, { nodeDeadlineMs: 10_000 }));
}, 120_000);
afterAll(async () => {
  collector?.close();
  await sim?.stop();
});

/** Polls until `ok`, at most `max` polls; the number of polls it took (Infinity if never). */
let latest: ClusterSnapshot | undefined;
async function pollsUntil(ok: (s: ClusterSnapshot) => boolean, max: number): Promise<number> {
  for (let i = 1; i <= max; i++) {
    latest = await collector.collect();
    if (ok(latest)) return i;
  }
  return Number.POSITIVE_INFINITY;
}

describe('a cluster above the full-view size', () => {
  it('is shown complete, then an open slot, then a FAIL, within their poll budgets', async () => {
    expect(sim.nodes.length).toBeGreaterThan(FULL_VIEWS_UP_TO);
    const complete = await pollsUntil(
      (s) => s.summary.reachable === sim.nodes.length && s.summary.slotsCovered === 16384,
      5,
    );
    expect(complete).toBeLessThanOrEqual(2);
    // Steady state for a while, so every node's view has been read once and the rotation is somewhere in the middle.
    await pollsUntil(() => false, VIEW_ROUNDS + 2);

    const [from, to] = [sim.masters[40], sim.masters[41]];
    if (!from || !to) throw new Error('no masters');
    const slot = latest?.nodes.find((n) => n.id === from.id)?.slots[0]?.[0];
    if (slot === undefined) throw new Error('the master shows no slots');
    await sim.openSlot(slot, from.id, to.id);
    const open = await pollsUntil(
      (s) =>
        Boolean(s.nodes.find((n) => n.id === from.id)?.migrating.length) &&
        Boolean(s.nodes.find((n) => n.id === to.id)?.importing.length),
      3 * VIEW_ROUNDS,
    );
    expect(open).toBeLessThanOrEqual(VIEW_ROUNDS + 1);

    const target = sim.masters[97];
    if (!target) throw new Error('no master 97');
    await sim.flag(target.id, 'fail');
    const failed = await pollsUntil((s) => Boolean(s.nodes.find((n) => n.id === target.id)?.flags.includes('fail')), 6);
    expect(failed).toBeLessThanOrEqual(2);
  }, 240_000);
});
