import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { hotSlotOwner, writeSkewedKeys } from '../../scripts/test/skewedLoad';
import { slotHeatOf } from '../clusters/slotHeat';
import { ClusterPoller } from './poller';
import { SlotHeatSampler } from './slotHeat';

// Redis 7 has no CLUSTER SLOT-STATS: the key-count heat comes from COUNTKEYSINSLOT over each master's own slots, never
// more than countKeysPerSecond per master in any second (counted by the node itself: INFO commandstats).

const HOT_KEYS = 2000;
const PER_SECOND = 400;
let dev: DevCluster;
let poller: ClusterPoller;
let sampler: SlotHeatSampler;

beforeAll(async () => {
  dev = await startThreeHostCluster();
  await writeSkewedKeys(dev, HOT_KEYS);
  poller = new ClusterPoller(resolvedClusterFor(dev, { id: 'heat', pollIntervalMs: 500, nodeDeadlineMs: 1000 }));
  // The poller's own sampler (100/s) would add to the count: only the one under test sends COUNTKEYSINSLOT.
  poller.start();
  poller.heat.stop();
  await waitFor('a first snapshot', async () => poller.latest, 20_000);
}, 240_000);
afterAll(async () => {
  sampler?.stop();
  poller?.stop();
  await dev?.stop();
});

async function countKeysCalls(node: DevNode): Promise<number> {
  const text = String(await dev.client(node).info('commandstats'));
  return Number(/cmdstat_cluster\|countkeysinslot:calls=(\d+)/.exec(text)?.[1] ?? 0);
}

describe('slot heat on Redis 7', () => {
  it('finds the hot slot first with COUNTKEYSINSLOT, never over the bound per second on any master', async () => {
    const { slot, owner } = await hotSlotOwner(dev);
    const samples: Array<{ at: number; calls: number[] }> = [];
    const sampleCalls = async () =>
      samples.push({ at: Date.now(), calls: await Promise.all(dev.masters.map(countKeysCalls)) });
    await sampleCalls();
    sampler = new SlotHeatSampler(
      poller.cluster,
      { latest: () => poller.latest, connection: (node) => poller.member(node.id)?.connection },
      // A sweep of ~5,461 slots spread over 8 s would need ~680/s: the bound (400/s) holds it back.
      { slotStatsMs: 10_000, countKeysMs: 10_000, countKeysPerSecond: PER_SECOND, retryMs: 600_000 },
    );
    sampler.start();
    const seen = await waitFor(
      'every master swept once',
      async () => {
        await sampleCalls();
        const heat = slotHeatOf('heat', sampler, poller.latest);
        return heat.masters.length === 3 && heat.masters.every((m) => m.readAt !== null) ? heat : undefined;
      },
      60_000,
      150,
    );
    sampler.stop();
    const keys = seen.metrics.keys;
    expect(keys.top[0]).toMatchObject({ slot, value: HOT_KEYS + 1, owner: { id: owner.id, addr: owner.addr } });
    expect(keys.sources).toEqual(['countkeysinslot']);
    expect(keys.values.every((v) => v !== null && v >= 1)).toBe(true);
    expect(seen.metrics.cpu.available).toBe(false);
    expect(seen.metrics.cpu.note).toMatch(/needs CLUSTER SLOT-STATS/);
    expect(seen.masters.every((m) => m.source === 'countkeysinslot')).toBe(true);

    // Each master's own slots were counted once (plus nothing else sent COUNTKEYSINSLOT).
    const first = samples[0]?.calls ?? [];
    const last = samples.at(-1)?.calls ?? [];
    dev.masters.forEach((m, i) => {
      const own = seen.masters.find((s) => s.nodeId === m.id);
      expect(own).toBeDefined();
      expect((last[i] ?? 0) - (first[i] ?? 0)).toBeGreaterThanOrEqual(5000);
    });
    // In any stretch under a second between two samples, no master served more than the bound.
    let busiest = 0;
    for (let a = 0; a < samples.length; a++)
      for (let b = a + 1; b < samples.length; b++) {
        const [sa, sb] = [samples[a], samples[b]];
        if (!sa || !sb || sb.at - sa.at > 900) continue;
        for (let i = 0; i < dev.masters.length; i++)
          busiest = Math.max(busiest, (sb.calls[i] ?? 0) - (sa.calls[i] ?? 0));
      }
    expect(busiest).toBeGreaterThan(PER_SECOND / 2);
    expect(busiest).toBeLessThanOrEqual(PER_SECOND);
  }, 120_000);
});
