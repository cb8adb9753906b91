import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevCluster, startDevCluster } from '../../scripts/devcluster/cluster';
import { collectUntil, resolvedClusterFor, waitFor } from '../../scripts/test/helpers';
import { ClusterCollector } from './collector';

let dev: DevCluster;

beforeAll(async () => {
  // Each node also listens on 127.0.5.1, which no node announces: the NAT map test reaches them only through it.
  dev = await startDevCluster({
    masters: 3,
    replicasPerMaster: 0,
    nodeTimeoutMs: 2000,
    extraConfig: { bind: '127.0.0.1 127.0.5.1' },
  });
});
afterAll(async () => {
  await dev?.stop();
});

describe('membership follows the cluster', () => {
  it('picks up a node that joins and drops one that is forgotten', async () => {
    const collector = new ClusterCollector(resolvedClusterFor(dev));
    try {
      await collectUntil(collector, '3 reachable masters', (s) => s.summary.reachable === 3);
      const [first] = dev.nodes;
      if (!first) throw new Error('no node');

      const joiner = await dev.startEmptyNode();
      await dev.client(joiner).call('CLUSTER', 'MEET', first.host, String(first.port));
      const joined = await collectUntil(
        collector,
        'the new node to be polled',
        (s) => s.nodes.find((n) => n.id === joiner.id)?.reachable === true,
      );
      expect(joined.summary).toMatchObject({ nodes: 4, masters: 4, reachable: 4, slotsCovered: 16384 });
      expect(joined.nodes.find((n) => n.id === joiner.id)).toMatchObject({ role: 'master', slotCount: 0 });
      expect(collector.targets()).toContain(joiner.addr);

      const others = dev.nodes.filter((n) => n.id !== joiner.id);
      await waitFor(
        'every node to know the new node',
        async () => {
          const views = await Promise.all(others.map((n) => dev.clusterNodes(n)));
          return views.every((v) => v.includes(joiner.id) && !v.includes('handshake')) ? true : undefined;
        },
        20_000,
      );
      // Remove it the way redis-cli del-node does: FORGET on every other node, then reset the removed node.
      await Promise.all(others.map((n) => dev.client(n).call('CLUSTER', 'FORGET', joiner.id)));
      await dev.client(joiner).call('CLUSTER', 'RESET', 'SOFT');
      const left = await collectUntil(
        collector,
        'the forgotten node to leave the snapshot',
        (s) => !s.nodes.some((n) => n.id === joiner.id),
      );
      expect(left.summary).toMatchObject({ nodes: 3, reachable: 3 });
      expect(collector.targets()).not.toContain(joiner.addr);
      // The poll that saw it leave still asked it (as "not a member"); the next one no longer does.
      expect((await collector.collect()).unidentified).toEqual([]);
    } finally {
      collector.close();
    }
  });

  it('connects through the NAT map to every node, seed included', async () => {
    const natMap = Object.fromEntries(dev.masters.map((n) => [n.addr, `127.0.5.1:${n.port}`]));
    const seed = dev.nodes[0];
    if (!seed) throw new Error('no node');
    const collector = new ClusterCollector(resolvedClusterFor(dev, { seeds: [`127.0.5.1:${seed.port}`], natMap }));
    try {
      const snap = await collectUntil(
        collector,
        'every node reachable through the NAT map',
        (s) => s.summary.reachable === 3,
      );
      expect(snap.nodes.map((n) => n.connectAddr).sort()).toEqual(Object.values(natMap).sort());
      expect(snap.nodes.map((n) => n.addr).sort()).toEqual(Object.keys(natMap).sort());
      expect(collector.targets().sort()).toEqual(Object.values(natMap).sort());
      const clients = String(await dev.client(seed).call('CLIENT', 'LIST'));
      const ours = clients.split('\n').filter((l) => l.includes('name=cluster-dashboard'));
      expect(ours).toHaveLength(1);
      expect(ours[0]).toContain(`laddr=127.0.5.1:${seed.port}`);
    } finally {
      collector.close();
    }
  });
});
