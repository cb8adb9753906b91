import { expect, test } from '@playwright/test';
import { median, openBigCluster, timeNodeFilter, timeNodeOpen, timeSlotSelect } from './support/bigCluster';
import { loginAs, type SimStack, startSimStack } from './support/stack';

// The cluster page on a 1,000-node cluster (500 masters, one replica each) served by the cluster simulator
// (scripts/simcluster: one process, real RESP on loopback addresses, polled by the real dashboard). The node table,
// shard cards and hosts keep only the rows in view in the page; selecting a slot, filtering the nodes and opening a
// node each work and are timed by the page itself (performance marks: lib/client/interactionTiming.ts). The 100 ms
// figure is measured by `npm run bench:scale-ui`; here each median must stay within a generous 1 s (a loaded runner),
// and the figures are printed and attached to the report.

const MASTERS = 500;
const NODES = MASTERS * 2;
const REPEATS = 5;
const GENEROUS_MS = 1000;
const POLL_MS = 5000;
/**
 * Opening a node is a navigation to a page the server renders (its access check), which answers between the slices of
 * a 1,000-node poll; its loading state (app/clusters/[id]/nodes/[nodeId]/loading.tsx) shows the node from the page's
 * snapshot at once, so it is held to the same bound.
 */
const OPEN_NODE_MS = GENEROUS_MS;

test.describe.configure({ mode: 'serial' });

let stack: SimStack;
const clusterUrl = () => `${stack.baseURL}/clusters/${stack.clusterId}`;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startSimStack(
    { masters: MASTERS, replicasPerMaster: 1 },
    // A poll of 1,000 nodes every 5 s (each within a 3 s deadline per node) leaves this 2-core machine to the browser;
    // the interactions timed are the page's own work, whatever the poll's pace.
    { pollIntervalMs: POLL_MS, clusterConfig: { nodeDeadlineMs: 3000 } },
  );
});
test.afterAll(async () => {
  await stack?.stop();
});

function report(name: string, durations: number[]): number {
  const line = `${name}: median ${median(durations).toFixed(1)} ms, all ${durations.map((d) => d.toFixed(1)).join(' / ')} ms`;
  console.log(line);
  test.info().annotations.push({ type: 'timing', description: line });
  return median(durations);
}

test('1,000 nodes: the node table, shard cards and hosts keep only the rows in view in the page', async ({ page }) => {
  test.setTimeout(400_000);
  await loginAs(page.request, stack, 'viewer');
  await openBigCluster(page, clusterUrl(), NODES);
  const table = page.getByTestId('node-table');
  await expect(table).toHaveAttribute('data-windowed', 'true');
  await expect(table).toHaveAttribute('data-rows', String(NODES));
  const rows = await page.getByTestId('node-row').count();
  expect(rows).toBeGreaterThan(5);
  expect(rows).toBeLessThan(100);
  // Scrolled to the end, the last nodes are drawn (and the first ones are gone).
  const lastId = await page.evaluate(async (clusterId) => {
    const r = await fetch(`/api/clusters/${clusterId}/snapshot`);
    const snapshot = (await r.json()) as { nodes: Array<{ id: string }> };
    return snapshot.nodes.at(-1)?.id ?? '';
  }, stack.clusterId);
  await page.getByTestId('node-table-box-scroller').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(page.locator(`[data-testid="node-row"][data-node-id="${lastId}"]`)).toBeVisible();
  expect(await page.getByTestId('node-row').count()).toBeLessThan(100);
  await expect(page.getByTestId('shards')).toHaveAttribute('data-shards', String(MASTERS));
  expect(await page.getByTestId('shard').count()).toBeLessThan(60);
  await expect(page.getByTestId('persistence-table')).toHaveAttribute('data-windowed', 'true');
  expect(await page.getByTestId('persistence-row').count()).toBeLessThan(100);
});

test('selecting a slot, filtering the nodes and opening a node each answer, timed by the page', async ({ page }) => {
  test.setTimeout(500_000);
  await loginAs(page.request, stack, 'viewer');
  const cluster = await openBigCluster(page, clusterUrl(), NODES);
  await test.step('select a slot on the map', async () => {
    expect(report('select a slot', await timeSlotSelect(page, cluster, REPEATS))).toBeLessThan(GENEROUS_MS);
  });
  await test.step('filter the nodes', async () => {
    expect(report('filter nodes', await timeNodeFilter(page, stack.sim.nodes, REPEATS))).toBeLessThan(GENEROUS_MS);
  });
  await test.step('open a node from the table', async () => {
    expect(report('open a node', await timeNodeOpen(page, stack.sim.nodes, REPEATS))).toBeLessThan(OPEN_NODE_MS);
  });
});
