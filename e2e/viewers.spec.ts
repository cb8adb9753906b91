import { expect, test } from '@playwright/test';
import { waitFor } from '../scripts/test/helpers';
import { loginAs, type Stack, startStack } from './support/stack';

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

interface Viewer {
  snapshots: number;
  close(): void;
}

/** One browser-like SSE client: counts the snapshots pushed to it. */
async function openViewer(url: string, cookie: string): Promise<Viewer> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  expect(response.status).toBe(200);
  const viewer: Viewer = { snapshots: 0, close: () => controller.abort() };
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      while (reader) {
        const { value, done } = await reader.read();
        if (done) break;
        viewer.snapshots += decoder.decode(value, { stream: true }).split('event: snapshot').length - 1;
      }
    } catch {
      // aborted
    }
  })();
  return viewer;
}

test('50 SSE viewers cause the same number of Redis commands per poll as one', async ({ request }) => {
  await loginAs(request, stack, 'viewer');
  const cookie = (await request.storageState()).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const url = `${stack.baseURL}/api/clusters/${stack.clusterId}/stream`;
  const node = stack.dev.nodes[0];
  if (!node) throw new Error('no node');
  const clusterCalls = async () => {
    const stats = String(await stack.dev.client(node).call('INFO', 'commandstats'));
    return [...stats.matchAll(/^cmdstat_cluster\|(?:nodes|info|shards):calls=(\d+)/gm)].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  };

  async function measure(count: number) {
    const viewers = await Promise.all(Array.from({ length: count }, () => openViewer(url, cookie)));
    try {
      await waitFor(
        'every viewer to get its first snapshot',
        async () => (viewers.every((v) => v.snapshots >= 1) ? true : undefined),
        10_000,
        50,
      );
      const first = viewers[0] as Viewer;
      const start = first.snapshots;
      const before = await clusterCalls();
      await waitFor('8 more polls', async () => (first.snapshots >= start + 8 ? true : undefined), 20_000, 20);
      const polls = first.snapshots - start;
      const calls = (await clusterCalls()) - before;
      expect(
        viewers.every((v) => v.snapshots >= 8),
        'every viewer keeps receiving snapshots',
      ).toBe(true);
      return calls / polls;
    } finally {
      for (const v of viewers) v.close();
    }
  }

  const one = await measure(1);
  const fifty = await measure(50);
  // CLUSTER NODES + CLUSTER INFO + CLUSTER SHARDS: three cluster commands per poll on this node, whoever watches.
  expect(one).toBeGreaterThan(2.5);
  expect(one).toBeLessThan(3.5);
  expect(Math.abs(fifty - one)).toBeLessThan(0.5);
  test.info().annotations.push({
    type: 'commands per poll',
    description: `1 viewer: ${one.toFixed(2)}, 50 viewers: ${fifty.toFixed(2)}`,
  });
});
