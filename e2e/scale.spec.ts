import { expect, type Page, test } from '@playwright/test';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type SimStack, startSimStack } from './support/stack';

// The cluster page on a 1,000-node cluster (500 masters, one replica each) served by the cluster simulator
// (scripts/simcluster: one process, real RESP on loopback addresses, polled by the real dashboard). The node table,
// shard cards and hosts keep only the rows in view in the page; selecting a slot, filtering the nodes and opening a
// node each answer within 100 ms, as the page measures them itself (performance marks at the handler, a measure after
// the next paint: lib/client/interactionTiming.ts). Each interaction is timed REPEATS times on one page; the median must
// be under 100 ms (each figure is printed and attached to the report).

const MASTERS = 500;
const NODES = MASTERS * 2;
const REPEATS = 5;
const BUDGET_MS = 100;

test.describe.configure({ mode: 'serial' });

let stack: SimStack;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startSimStack(
    { masters: MASTERS, replicasPerMaster: 1 },
    // A poll of 1,000 nodes every 5 s (each within a 3 s deadline per node) leaves this 2-core machine to the browser;
    // the interactions measured are the page's own work, whatever the poll's pace.
    { pollIntervalMs: 5000, clusterConfig: { nodeDeadlineMs: 3000 } },
  );
});
test.afterAll(async () => {
  await stack?.stop();
});

async function openCluster(page: Page): Promise<ClusterPage> {
  await loginAs(page.request, stack, 'viewer');
  // The stack's dashboard polls 1,000 nodes on a busy machine: wait for the page's own signs, not the load event.
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`, { waitUntil: 'commit', timeout: 60_000 });
  const cluster = new ClusterPage(page);
  await expect(cluster.live).toHaveAttribute('data-live', 'true', { timeout: 120_000 });
  await expect(page.getByTestId('node-filter-count')).toHaveAttribute('data-shown', String(NODES), {
    timeout: 120_000,
  });
  // Every node polled and answering (the first poll knows only the seed).
  await expect(page.locator('[data-testid="node-row"][data-reachable="false"]')).toHaveCount(0, { timeout: 120_000 });
  return cluster;
}

/** The durations of `name`'s measures taken since the last call, read back from the page. */
async function takeMeasures(page: Page, name: string): Promise<number[]> {
  return page.evaluate((n) => {
    const out = performance.getEntriesByName(n, 'measure').map((e) => e.duration);
    performance.clearMeasures(n);
    return out;
  }, name);
}

async function oneMeasure(page: Page, name: string): Promise<number> {
  await page.waitForFunction((n) => performance.getEntriesByName(n, 'measure').length > 0, name);
  const all = await takeMeasures(page, name);
  const last = all.at(-1);
  if (last === undefined) throw new Error(`no ${name} measure`);
  return last;
}

function report(name: string, durations: number[]): number {
  const sorted = [...durations].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  const line = `${name}: median ${median.toFixed(1)} ms, all ${durations.map((d) => d.toFixed(1)).join(' / ')} ms`;
  console.log(line);
  test.info().annotations.push({ type: 'timing', description: line });
  return median;
}

test('1,000 nodes: the node table, shard cards and hosts keep only the rows in view in the page', async ({ page }) => {
  test.setTimeout(400_000);
  await openCluster(page);
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

  const shards = page.getByTestId('shards');
  await expect(shards).toHaveAttribute('data-shards', String(MASTERS));
  expect(await page.getByTestId('shard').count()).toBeLessThan(60);
  await expect(page.getByTestId('hosts')).toHaveAttribute('data-windowed', /true|false/);
});

test('selecting a slot, filtering the nodes and opening a node each answer within 100 ms', async ({ page }) => {
  test.setTimeout(500_000);
  const cluster = await openCluster(page);

  await test.step('select a slot on the map', async () => {
    await cluster.slotMap.scrollIntoViewIfNeeded();
    await takeMeasures(page, 'slot-select');
    const durations: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const slot = 1000 + i * 3001;
      const point = await cluster.slotPoint(slot);
      await page.mouse.click(point.x, point.y);
      await expect(cluster.slotMap).toHaveAttribute('data-selection', `${slot}-${slot}`);
      await expect(page.getByTestId('slot-info')).toHaveAttribute('data-slot', String(slot));
      durations.push(await oneMeasure(page, 'slot-select'));
    }
    expect(report('select a slot', durations)).toBeLessThan(BUDGET_MS);
  });

  await test.step('filter the nodes', async () => {
    const filter = page.getByTestId('node-filter');
    const count = page.getByTestId('node-filter-count');
    await filter.scrollIntoViewIfNeeded();
    await takeMeasures(page, 'node-filter');
    const durations: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      // A node id names one node; "replica" half of them.
      const text = i % 2 ? 'replica' : (stack.sim.nodes[i * 97]?.id ?? '');
      await filter.fill(text);
      await expect(count).toHaveAttribute('data-shown', String(i % 2 ? NODES / 2 : 1));
      durations.push(await oneMeasure(page, 'node-filter'));
      await filter.fill('');
      await expect(count).toHaveAttribute('data-shown', String(NODES));
      await takeMeasures(page, 'node-filter');
    }
    expect(report('filter nodes', durations)).toBeLessThan(BUDGET_MS);
  });

  await test.step('open a node from the table', async () => {
    const durations: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const node = stack.sim.nodes[i * 199];
      if (!node) throw new Error('no node');
      await page.getByTestId('node-filter').fill(node.id);
      const link = page.locator(`[data-testid="node-row"][data-node-id="${node.id}"]`).getByRole('link');
      await takeMeasures(page, 'node-open');
      await link.click();
      await expect(page.getByTestId('node-title')).toContainText(node.addr);
      durations.push(await oneMeasure(page, 'node-open'));
      // Back to the cluster page (client-side, from the cache) for the next one.
      await page.goBack();
      await expect(page.getByTestId('node-filter')).toBeVisible({ timeout: 30_000 });
    }
    expect(report('open a node', durations)).toBeLessThan(BUDGET_MS);
  });
});
