import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ClusterPoller } from '../collect/poller';

const OUTAGE_MS = 5000;

let dev: DevCluster;
let poller: ClusterPoller;

beforeAll(async () => {
  // A node timeout well above the outage: the nodes must not flag each other, so every event is the dashboard's.
  dev = await startThreeHostCluster({ nodeTimeoutMs: 15_000 });
  poller = new ClusterPoller(resolvedClusterFor(dev, { pollIntervalMs: 250, nodeDeadlineMs: 500 }));
  poller.start();
  await waitFor('all nodes reachable', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 15_000);
});
afterAll(async () => {
  for (const node of dev?.nodes ?? []) dev.signal(node, 'SIGCONT');
  poller?.stop();
  await dev?.stop();
});

const answering = () => poller.latest?.nodes.filter((n) => n.reachable).length ?? 0;

describe('the timeline when no node answers', () => {
  it('is one "state unknown" and one "recovered" event around a 5 s SIGSTOP of every node, no leave/join storm', async () => {
    const since = new Date().toISOString();
    const stoppedAt = Date.now();
    for (const node of dev.nodes) dev.signal(node, 'SIGSTOP');
    try {
      await waitFor('a poll no node answers', async () => (answering() === 0 ? true : undefined), 5000, 50);
      const pollsSilent = poller.polls;
      // The outage itself lasts 5 s, seen by several polls, so a repeated "unknown" would show.
      await waitFor(
        'a 5 s outage seen by several polls',
        async () => (Date.now() - stoppedAt >= OUTAGE_MS && poller.polls >= pollsSilent + 4 ? true : undefined),
        OUTAGE_MS + 10_000,
        50,
      );
      expect(answering()).toBe(0);
    } finally {
      for (const node of dev.nodes) dev.signal(node, 'SIGCONT');
    }
    await waitFor('every node answers again', async () => (answering() === 6 ? true : undefined), 15_000, 50);
    const pollsBack = poller.polls;
    // A few more polls, so any late per-node event would be in the timeline too.
    await waitFor('three more polls', async () => (poller.polls >= pollsBack + 3 ? true : undefined), 10_000, 50);

    const events = poller
      .timeline()
      .filter((e) => e.at >= since)
      .reverse();
    expect(events.map((e) => e.kind)).toEqual(['cluster_unknown', 'cluster_recovered']);
    expect(events[0]?.message).toMatch(/^No node answers the dashboard: cluster state unknown/);
    expect(events[1]?.message).toBe('Nodes answer the dashboard again: 6 of 6; cluster_state ok.');
    expect(poller.latest?.summary.nodes).toBe(6);
  });
});
