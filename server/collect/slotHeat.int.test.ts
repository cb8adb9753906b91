import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlotHeatResponse } from '@/lib/cluster/slotHeat';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { serverBin } from '../../scripts/test/flavours';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { hammerHotTag, hotSlotOwner, writeSkewedKeys } from '../../scripts/test/skewedLoad';
import { slotHeatOf } from '../clusters/slotHeat';
import { ClusterPoller } from './poller';
import { SlotHeatSampler } from './slotHeat';

// Issue 15's acceptance on Valkey 8: after a skewed load (one hash tag hammered), the hot-slot list names its slot
// first, with its owner; keys from CLUSTER SLOT-STATS, CPU and network as rates between two reads of its counters.

const HOT_KEYS = 3000;
let dev: DevCluster;
let poller: ClusterPoller;

beforeAll(async () => {
  dev = await startThreeHostCluster({
    serverBin: serverBin('valkey'),
    extraConfig: { 'cluster-slot-stats-enabled': 'yes' },
  });
  await writeSkewedKeys(dev, HOT_KEYS);
  poller = new ClusterPoller(resolvedClusterFor(dev, { id: 'heat', pollIntervalMs: 500, nodeDeadlineMs: 1000 }));
  poller.start();
}, 240_000);
afterAll(async () => {
  poller?.stop();
  await dev?.stop();
});

const heat = () => slotHeatOf('heat', poller.heat, poller.latest);

describe('slot heat on Valkey 8', () => {
  it('names the hammered slot first for keys, CPU and network, with its owner, from CLUSTER SLOT-STATS', async () => {
    const { slot, owner } = await hotSlotOwner(dev);
    const load = hammerHotTag(dev, HOT_KEYS, 60_000);
    let seen: SlotHeatResponse | undefined;
    try {
      seen = await waitFor(
        'CPU and network heat from two SLOT-STATS reads',
        async () => {
          const h = heat();
          return h.masters.length === 3 && h.masters.every((m) => m.ratesAt) ? h : undefined;
        },
        45_000,
        250,
      );
    } finally {
      await load.stop();
    }
    for (const metric of ['keys', 'cpu', 'network'] as const) {
      const view = seen.metrics[metric];
      expect(view.top[0], metric).toMatchObject({ slot, owner: { id: owner.id, addr: owner.addr } });
      expect(view.sources, metric).toEqual(['slot-stats']);
      expect(view.note, metric).toBeUndefined();
    }
    expect(seen.metrics.keys.values[slot]).toBe(HOT_KEYS + 1);
    expect(seen.metrics.keys.top[0]?.value).toBe(HOT_KEYS + 1);
    // Every slot read, one background key each (the hot slot has its own too).
    expect(seen.metrics.keys.values.every((v) => v !== null && v >= 1)).toBe(true);
    expect(seen.masters.every((m) => m.source === 'slot-stats' && m.readAt !== null)).toBe(true);
  }, 120_000);

  it('says so when cluster-slot-stats-enabled is turned off: keys only', async () => {
    await Promise.all(dev.masters.map((m) => dev.client(m).config('SET', 'cluster-slot-stats-enabled', 'no')));
    const seen = await waitFor(
      'a SLOT-STATS read without counters',
      async () => {
        const h = heat();
        return h.masters.every((m) => m.slotStatsCountersOff) ? h : undefined;
      },
      30_000,
      250,
    );
    expect(seen.metrics.cpu.available).toBe(false);
    expect(seen.metrics.cpu.note).toMatch(/cluster-slot-stats-enabled is no on/);
    expect(seen.metrics.keys.available).toBe(true);
  }, 60_000);

  it('an ACL without CLUSTER SLOT-STATS costs CPU and network only, says so, and counts keys with COUNTKEYSINSLOT', async () => {
    const { slot, owner } = await hotSlotOwner(dev);
    await Promise.all(
      dev.nodes.map((n) =>
        dev.client(n).call('ACL', 'SETUSER', 'heat', 'on', '>heat-pw', '~*', '+@all', '-cluster|slot-stats'),
      ),
    );
    const limited = new ClusterPoller(
      resolvedClusterFor(dev, { id: 'heat-acl', username: 'heat', password: 'heat-pw', pollIntervalMs: 500 }),
    );
    limited.start();
    limited.heat.stop();
    const sampler = new SlotHeatSampler(
      limited.cluster,
      { latest: () => limited.latest, connection: (node) => limited.member(node.id)?.connection },
      { slotStatsMs: 10_000, countKeysMs: 2000, countKeysPerSecond: 2000, retryMs: 600_000 },
    );
    sampler.start();
    try {
      const seen = await waitFor(
        'every master swept with COUNTKEYSINSLOT',
        async () => {
          const h = slotHeatOf('heat-acl', sampler, limited.latest);
          return h.masters.length === 3 && h.masters.every((m) => m.readAt !== null) ? h : undefined;
        },
        60_000,
        250,
      );
      expect(seen.metrics.keys.top[0]).toMatchObject({ slot, owner: { id: owner.id } });
      expect(seen.metrics.keys.sources).toEqual(['countkeysinslot']);
      expect(seen.masters.every((m) => m.slotStatsNotPermitted?.command === 'cluster|slot-stats')).toBe(true);
      expect(seen.metrics.cpu.available).toBe(false);
      expect(seen.metrics.cpu.note).toMatch(/CLUSTER SLOT-STATS not permitted for user heat: cluster\|slot-stats/);
      // The poll itself is untouched: every node answers.
      expect(limited.latest?.nodes.every((n) => n.reachable)).toBe(true);
    } finally {
      sampler.stop();
      limited.stop();
    }
  }, 90_000);
});
