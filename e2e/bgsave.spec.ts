import { expect, test } from '@playwright/test';
import { parseInfo } from '../lib/redis/info';
import { parsePersistence } from '../lib/redis/persistence';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

// Persistence from the cluster page: every node's RDB/AOF state, "BGSAVE…" (every master or every node) with its
// plan, and the job's per-node progress live until every master has saved; a viewer sees the state but no button, and gets 403.

test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

const lastSaveOf = async (node: { host: string; port: number }) =>
  parsePersistence(parseInfo(String(await stack.dev.client(node).call('INFO', 'persistence'))))?.lastSaveTime ?? 0;

test('a viewer sees every node persistence state, no BGSAVE button, and a 403 from the route', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(page.getByTestId('persistence-row')).toHaveCount(stack.dev.nodes.length);
  await expect(page.getByTestId('persistence-summary')).toContainText('no failed save');
  await expect(page.getByTestId('bgsave-open')).toHaveCount(0);
  const response = await page.request.post(`${stack.baseURL}/api/clusters/${stack.clusterId}/bgsave`, {
    data: { scope: 'masters' },
    headers: { origin: stack.baseURL },
  });
  expect(response.status()).toBe(403);
});

test('an operator runs BGSAVE every master and watches each master save', async ({ page }) => {
  await loginAs(page.request, stack, 'operator');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  const before = new Map(await Promise.all(stack.dev.masters.map(async (m) => [m.addr, await lastSaveOf(m)] as const)));

  // The dialog can save every master or every node: the button promises neither.
  await expect(page.getByTestId('bgsave-open')).toHaveText('BGSAVE…');
  await page.getByTestId('bgsave-open').click();
  const dialog = page.getByTestId('bgsave-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('bgsave-targets').locator('li')).toHaveCount(stack.dev.masters.length);
  await dialog.getByTestId('bgsave-start').click();
  await expect(dialog).toBeHidden();

  const job = page.getByTestId('bgsave-job');
  await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(job.getByTestId('bgsave-step')).toHaveCount(stack.dev.masters.length);
  await expect(job.getByTestId('bgsave-count')).toHaveText(
    `${stack.dev.masters.length} / ${stack.dev.masters.length} nodes saved`,
  );
  for (const master of stack.dev.masters)
    expect(await lastSaveOf(master), master.addr).toBeGreaterThan(before.get(master.addr) ?? 0);
});
