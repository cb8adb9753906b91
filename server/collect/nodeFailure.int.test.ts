import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ClusterPoller } from './poller';

let dev: DevCluster;

beforeAll(async () => {
  dev = await startThreeHostCluster({ nodeTimeoutMs: 1500 });
});
afterAll(async () => {
  await dev?.stop();
});

describe('a SIGKILLed master', () => {
  it('shows as failed, its replica as promoted with its slots; after a restart it is back as a replica', async () => {
    const poller = new ClusterPoller(resolvedClusterFor(dev, { pollIntervalMs: 250, nodeDeadlineMs: 500 }));
    poller.start();
    try {
      await waitFor(
        'all nodes reachable',
        async () => (poller.latest?.summary.reachable === 6 ? true : undefined),
        10_000,
      );
      const master = dev.masters[1];
      const replica = dev.replicas.find((r) => r.masterId === master?.id);
      if (!master || !replica) throw new Error('no master/replica pair');
      const slots = poller.latest?.nodes.find((n) => n.id === master.id)?.slots;
      expect(slots?.length).toBeGreaterThan(0);

      await dev.kill(master);
      const snap = await waitFor(
        'the replica to be promoted and the master marked failed',
        async () => {
          const s = poller.latest;
          const dead = s?.nodes.find((n) => n.id === master.id);
          const promoted = s?.nodes.find((n) => n.id === replica.id);
          return dead?.flags.includes('fail') && promoted?.role === 'master' && s?.status === 'ok' ? s : undefined;
        },
        30_000,
        100,
      );
      const dead = snap.nodes.find((n) => n.id === master.id);
      const promoted = snap.nodes.find((n) => n.id === replica.id);
      expect(dead).toMatchObject({ reachable: false, error: expect.stringMatching(/ECONNREFUSED|not connected/) });
      expect(promoted).toMatchObject({ role: 'master', masterId: null, slots, reachable: true });
      expect(promoted?.configEpoch).toBeGreaterThan(3);
      expect(snap.summary).toMatchObject({ nodes: 6, reachable: 5, slotsCovered: 16384 });
      const before = poller.polls;
      await waitFor('two more polls', async () => (poller.polls >= before + 2 ? true : undefined), 5000, 50);

      await dev.restart(master);
      const back = await waitFor(
        'the old master to come back as a replica of the promoted one',
        async () => {
          const node = poller.latest?.nodes.find((n) => n.id === master.id);
          return node?.reachable && node.role === 'replica' && !node.flags.includes('fail') ? node : undefined;
        },
        30_000,
        100,
      );
      expect(back).toMatchObject({ masterId: replica.id, slots: [] });
      expect(poller.latest?.summary).toMatchObject({ nodes: 6, reachable: 6, masters: 3, replicas: 3 });
    } finally {
      poller.stop();
    }
  });
});
