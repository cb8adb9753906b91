import { expect, test } from '@playwright/test';
import { parseClusterNodes } from '../lib/redis/clusterNodes';
import { redisCliCheck } from '../scripts/test/redisCliCheck';
import { fillSlots } from '../scripts/test/slotData';
import { ClusterPage } from './pages/ClusterPage';
import { hiddenActions } from './support/layout';
import { loginAs, type Stack, startStack } from './support/stack';

// Rebalance from the cluster page: weights, the preview with before/after bars per master and the moves, the typed
// confirmation, and the progress panel live until the end; a viewer has no Rebalance button.

test.describe.configure({ mode: 'serial' });

let stack: Stack;
const KEYS_PER_SLOT = 2;

test.beforeAll(async () => {
  stack = await startStack();
  await fillSlots(
    stack.dev,
    Array.from({ length: 16384 }, (_, i) => i),
    () => KEYS_PER_SLOT,
  );
});
test.afterAll(async () => {
  await stack?.stop();
});

async function slotsOf(nodeId: string): Promise<number> {
  const seed = stack.dev.nodes[0];
  if (!seed) throw new Error('no node');
  const line = parseClusterNodes(await stack.dev.clusterNodes(seed)).find((l) => l.id === nodeId);
  return (line?.slots ?? []).reduce((n, [a, b]) => n + b - a + 1, 0);
}

test('a viewer has no Rebalance or Drain button', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(page.getByTestId('shard')).toHaveCount(3);
  await expect(page.getByTestId('rebalance-open')).toHaveCount(0);
  await expect(page.getByTestId('drain-open')).toHaveCount(0);
});

test('an operator weights a master 2, sees before/after bars and the moves, confirms, and watches the rebalance end', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginAs(page.request, stack, 'operator');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  const heavy = stack.dev.masters[0];
  if (!heavy) throw new Error('no master');

  await page.getByTestId('rebalance-open').click();
  const dialog = page.getByTestId('rebalance-dialog');
  await expect(dialog).toBeVisible();
  // Balanced as formed: nothing to move, said in words.
  await expect(dialog.getByTestId('rebalance-summary')).toContainText(/within|nothing/i);
  await expect(dialog.getByTestId('rebalance-start')).toBeDisabled();

  await dialog.locator(`[data-testid="rebalance-weight-row"][data-node-id="${heavy.id}"] input`).fill('2');
  await dialog.getByTestId('rebalance-throttle').fill('4000');
  const bars = dialog.getByTestId('rebalance-bar');
  await expect(bars).toHaveCount(3);
  const heavyBar = dialog.locator(`[data-testid="rebalance-bar"][data-node-id="${heavy.id}"]`);
  await expect(heavyBar).toHaveAttribute('data-after', '8192');
  const before = Number(await heavyBar.getAttribute('data-before'));
  expect(before).toBeGreaterThan(5000);
  expect(before).toBeLessThan(5500);
  const moves = dialog.getByTestId('rebalance-move');
  await expect(moves).toHaveCount(2);
  for (const move of await moves.all()) await expect(move).toHaveAttribute('data-to', heavy.id);
  await expect(dialog.locator('[data-testid="rebalance-check"][data-status="fail"]')).toHaveCount(0);
  expect(await hiddenActions(page)).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('rebalance-dialog-1920.png') });

  const start = dialog.getByTestId('rebalance-start');
  await expect(start).toBeDisabled();
  await dialog.getByTestId('rebalance-confirm').fill('E2E cluster');
  await expect(start).toBeEnabled();
  await expect(start).toContainText(`move ${(8192 - before).toLocaleString('en-US')} slots`);
  await start.click();
  await expect(dialog).toBeHidden();

  const panel = page.getByTestId('reshard-progress');
  await expect(panel).toHaveAttribute('data-state', 'running');
  await expect(panel).toContainText('Rebalance in progress');
  await expect(panel).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(panel).toContainText('Last rebalance: done');
  await expect(panel).toHaveAttribute('data-slots-done', String(8192 - before));
  expect(await slotsOf(heavy.id)).toBe(8192);
  const report = await redisCliCheck(heavy.addr, stack.dev.password);
  expect(report).toMatchObject({ agree: true, covered: true, openSlots: [] });
});

test('a drain says Redis will turn the emptied master into a replica, and its result says it did', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginAs(page.request, stack, 'operator');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(new ClusterPage(page).live).toHaveAttribute('data-live', 'true');
  const master = stack.dev.masters[0];
  if (!master) throw new Error('no master');

  await page.locator(`[data-testid="shard"][data-master-id="${master.id}"]`).getByTestId('drain-open').click();
  const dialog = page.getByTestId('rebalance-dialog');
  const role = dialog.locator(`[data-testid="rebalance-check"][data-check="role of ${master.addr} afterwards"]`);
  await expect(role).toHaveAttribute('data-status', 'warn');
  await expect(role).toContainText('becomes a replica');
  await expect(role).toContainText('Remove node… will then take it out as a replica');
  await dialog.getByTestId('rebalance-confirm').fill(master.id);
  await dialog.getByTestId('rebalance-start').click();
  await expect(dialog).toBeHidden();

  const panel = page.getByTestId('reshard-progress');
  await expect(panel).toHaveAttribute('data-state', 'succeeded', { timeout: 180_000 });
  await expect(panel).toContainText('Last drain: done');
  await expect(panel.getByTestId('reshard-notes')).toContainText(
    new RegExp(
      `${master.addr.replaceAll('.', '\\.')} is now a replica of .*Remove node… will take it out as a replica`,
    ),
  );
  expect(await slotsOf(master.id)).toBe(0);
});
