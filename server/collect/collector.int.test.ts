import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { collectUntil, resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ClusterCollector } from './collector';
import { ClusterPoller } from './poller';

const PASSWORD = 'int-test-pw-7c1e';
let dev: DevCluster;

beforeAll(async () => {
  dev = await startThreeHostCluster({ password: PASSWORD });
});
afterAll(async () => {
  await dev?.stop();
});

describe('ClusterCollector on a real password-protected cluster', () => {
  it('discovers all 6 nodes from one seed, in its first poll', async () => {
    const collector = new ClusterCollector(resolvedClusterFor(dev));
    try {
      // The members the seed lists are asked in the same poll: none is shown unreachable for not having been asked.
      const snap = await collector.collect();
      expect(snap.status).toBe('ok');
      expect(snap.summary).toEqual({ nodes: 6, masters: 3, replicas: 3, reachable: 6, slotsCovered: 16384 });
      expect(snap.state.cluster_slots_assigned).toBe(16384);
      expect(new Set(snap.nodes.map((n) => n.addr))).toEqual(new Set(dev.nodes.map((n) => n.addr)));
      for (const replica of dev.replicas) {
        const node = snap.nodes.find((n) => n.id === replica.id);
        expect(node).toMatchObject({ role: 'replica', masterId: replica.masterId, reachable: true });
        expect(node?.info?.master_link_status).toBe('up');
      }
      expect(snap.nodes.every((n) => n.info?.redis_version)).toBe(true);
      expect(collector.targets()).toHaveLength(6);
    } finally {
      collector.close();
    }
  });

  it('reports a wrong password as a clear error on every node, without throwing', async () => {
    const collector = new ClusterCollector(resolvedClusterFor(dev, { password: 'wrong-password' }));
    try {
      const snap = await collector.collect();
      expect(snap.status).toBe('unknown');
      expect(snap.unidentified).toEqual([
        { addr: dev.nodes[0]?.addr, error: expect.stringMatching(/^authentication failed/) },
      ]);
      expect(JSON.stringify(snap)).not.toContain(PASSWORD);
    } finally {
      collector.close();
    }
  });

  it('reports a missing password as a clear error', async () => {
    const collector = new ClusterCollector(resolvedClusterFor(dev, { password: undefined }));
    try {
      const snap = await collector.collect();
      expect(snap.unidentified[0]?.error).toMatch(/^authentication required/);
    } finally {
      collector.close();
    }
  });

  it('reports a SIGSTOPped node unreachable without delaying the others past the deadline', async () => {
    const collector = new ClusterCollector(resolvedClusterFor(dev, { nodeDeadlineMs: 500 }));
    const victim = dev.replicas[0];
    if (!victim) throw new Error('no replica');
    try {
      await collectUntil(collector, 'all nodes reachable', (s) => s.summary.reachable === 6);
      dev.signal(victim, 'SIGSTOP');
      for (let round = 0; round < 3; round++) {
        const started = performance.now();
        const snap = await collector.collect();
        const elapsed = performance.now() - started;
        expect(elapsed).toBeLessThan(500 + 400);
        const node = snap.nodes.find((n) => n.id === victim.id);
        expect(node?.reachable).toBe(false);
        expect(node?.error).toMatch(/no reply within 500 ms/);
        expect(snap.summary.reachable).toBe(5);
      }
    } finally {
      dev.signal(victim, 'SIGCONT');
    }
    try {
      await collectUntil(collector, 'the resumed node to answer again', (s) => s.summary.reachable === 6);
    } finally {
      collector.close();
    }
  });

  it('survives a node that closes the connection and comes back', async () => {
    const collector = new ClusterCollector(resolvedClusterFor(dev));
    const target = dev.replicas[1];
    if (!target) throw new Error('no replica');
    try {
      await collectUntil(collector, 'all nodes reachable', (s) => s.summary.reachable === 6);
      await dev.client(target).call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await collectUntil(collector, 'reconnect after CLIENT KILL', (s) => s.summary.reachable === 6);
    } finally {
      collector.close();
    }
  });
});

describe('ClusterPoller.fresh on a real cluster', () => {
  it('answers with a poll started after the call, not the cached snapshot; callers at once share it', async () => {
    const poller = new ClusterPoller(resolvedClusterFor(dev, { pollIntervalMs: 60_000 }));
    const master = dev.masters[0];
    if (!master) throw new Error('no master');
    const importer = dev.masters[1];
    if (!importer) throw new Error('no second master');
    poller.start();
    try {
      await waitFor('a first snapshot', async () => poller.latest, 10_000, 50);
      const cached = poller.latest;
      const owned = cached?.nodes.find((n) => n.id === master.id)?.slots[0];
      if (!owned) throw new Error(`master ${master.id} owns no slot`);
      const probe = owned[0];
      await dev.client(master).call('CLUSTER', 'SETSLOT', String(probe), 'MIGRATING', importer.id);
      try {
        const polls = poller.polls;
        const [a, b] = await Promise.all([poller.fresh(), poller.fresh()]);
        expect(a).toBe(b);
        expect(poller.polls).toBe(polls + 1);
        expect(poller.latest).toBe(a);
        expect(a.nodes.find((n) => n.id === master.id)?.migrating).toEqual([{ slot: probe, to: importer.id }]);
        expect(cached?.nodes.find((n) => n.id === master.id)?.migrating ?? []).toEqual([]);
      } finally {
        await dev.client(master).call('CLUSTER', 'SETSLOT', String(probe), 'STABLE');
      }
      // The loop goes on at its own pace afterwards: no poll storm from the one brought forward.
      const after = poller.polls;
      await new Promise((r) => setTimeout(r, 300));
      expect(poller.polls).toBe(after);
    } finally {
      poller.stop();
    }
  });

  it('asked right after start (an interrupted job read at start-up), keeps one poll loop, not two', async () => {
    const poller = new ClusterPoller(resolvedClusterFor(dev, { pollIntervalMs: 1000 }));
    poller.start();
    try {
      const first = await poller.fresh();
      expect(first.summary.reachable).toBe(dev.nodes.length);
      // A second loop would poll about twice a second, and find every node still in flight from the other one.
      const seen: { at: number; reachable: number }[] = [];
      const unsubscribe = poller.subscribe((s) => seen.push({ at: Date.now(), reachable: s.summary.reachable }));
      await waitFor('five more polls', async () => (seen.length >= 5 ? true : undefined), 15_000, 20);
      unsubscribe();
      const gaps = seen.slice(1).map((s, i) => s.at - (seen[i]?.at ?? 0));
      expect(Math.min(...gaps), `gaps between polls: ${gaps.join(', ')} ms`).toBeGreaterThan(600);
      expect(seen.map((s) => s.reachable)).toEqual(seen.map(() => dev.nodes.length));
    } finally {
      poller.stop();
    }
  });
});
