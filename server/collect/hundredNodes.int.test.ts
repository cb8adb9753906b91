// A 100-node real cluster (50 masters + 50 replicas, three loopback hosts) polled by a ClusterPoller: shown complete
// (every node reachable, every slot covered, every node's view agreeing) within 30 s of the poller starting; a
// SIGKILLed master shown failed (the cluster's own FAIL flag) within 2 polls of the surviving nodes agreeing on it,
// "agreeing" read here directly from every surviving node's CLUSTER NODES, apart from the dashboard.
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { connectTo, type DevCluster, startDevCluster } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, waitFor } from '../../scripts/test/helpers';
import { ClusterPoller } from './poller';

const MASTERS = 50;
const NODES = MASTERS * 2;
let dev: DevCluster;

beforeAll(async () => {
  dev = await startDevCluster({
    masters: MASTERS,
    replicasPerMaster: 1,
    hosts: ['127.0.0.1', '127.0.0.2', '127.0.0.3'],
    // Short enough for the FAIL to come quickly, long enough that 100 busy nodes do not flag each other.
    nodeTimeoutMs: 5000,
    readyTimeoutMs: 240_000,
  });
}, 300_000);
afterAll(async () => {
  await dev?.stop();
}, 60_000);

/** Every node answering, every slot covered, one view signature shared by all, nobody flagged. */
function complete(s: ClusterSnapshot): boolean {
  const signatures = new Set(s.nodes.map((n) => n.viewSignature));
  return (
    s.summary.nodes === NODES &&
    s.summary.reachable === NODES &&
    s.summary.slotsCovered === 16384 &&
    signatures.size === 1 &&
    !signatures.has(undefined) &&
    s.nodes.every((n) => !n.flags.includes('fail') && !n.flags.includes('fail?'))
  );
}

describe('a 100-node real cluster', () => {
  it('is shown complete within 30 s, and a killed master failed within 2 polls of the nodes agreeing', async () => {
    const poller = new ClusterPoller(resolvedClusterFor(dev, { pollIntervalMs: 1000, nodeDeadlineMs: 1000 }));
    const snapshots: ClusterSnapshot[] = [];
    poller.subscribe((s) => snapshots.push(s));
    const started = Date.now();
    poller.start();
    const direct: Redis[] = [];
    try {
      const first = await waitFor('a complete snapshot', async () => snapshots.find(complete), 30_000, 100);
      expect(Date.parse(first.collectedAt) - started).toBeLessThan(30_000);

      const master = dev.masters[7];
      if (!master) throw new Error('no master to kill');
      const survivors = dev.nodes.filter((n) => n !== master);
      for (const node of survivors) direct.push(connectTo(node.host, node.port, dev.password));
      await dev.kill(master);
      // When every surviving node's own view flags the master fail: the cluster agrees.
      const agreedAt = await waitFor(
        'every surviving node to flag the killed master fail',
        async () => {
          const round = Date.now();
          const views = await Promise.all(direct.map((c) => c.call('CLUSTER', 'NODES') as Promise<string>));
          const flagged = views.every((v) => {
            const line = v.split('\n').find((l) => l.startsWith(master.id));
            return line?.split(' ')[2]?.split(',').includes('fail');
          });
          return flagged ? round : undefined;
        },
        60_000,
        50,
      );
      const shown = await waitFor(
        'a snapshot showing the killed master failed',
        async () => snapshots.find((s) => s.nodes.find((n) => n.id === master.id)?.flags.includes('fail')),
        15_000,
        50,
      );
      // Polls that started after the nodes agreed, up to and including the one that showed it.
      const polls = snapshots.filter(
        (s) => Date.parse(s.collectedAt) >= agreedAt && Date.parse(s.collectedAt) <= Date.parse(shown.collectedAt),
      ).length;
      expect(polls).toBeLessThanOrEqual(2);
      expect(shown.nodes.find((n) => n.id === master.id)).toMatchObject({ reachable: false });
    } finally {
      poller.stop();
      for (const c of direct) c.disconnect();
    }
  }, 180_000);
});
