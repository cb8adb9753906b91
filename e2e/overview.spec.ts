import { expect, test } from '@playwright/test';
import { commandCalls } from '../lib/redis/info';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

test('after logging in on the form, the cluster list links to an overview of 6 nodes and 16384 slots', async ({
  page,
}) => {
  await page.goto(`${stack.baseURL}/`);
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await page.getByLabel('User name').fill('viewer');
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('login-error')).toHaveText('wrong user name or password');
  await page.getByLabel('Password').fill(stack.passwords.viewer);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('whoami')).toContainText('viewer (viewer)');
  // One card per cluster, for triage: health, what is worst, nodes up, masters with slots, memory, ops/s, updated.
  const card = page.locator(`[data-testid="cluster-card"][data-cluster-id="${stack.clusterId}"]`);
  await expect(card).toHaveAttribute('data-health', 'ok');
  await expect(card.getByTestId('cluster-card-headline')).toHaveText('OK — every slot served, nothing needs attention');
  await expect(card).toContainText('6 / 6');
  await expect(card).toContainText('no maxmemory');
  await expect(card.getByTestId('cluster-card-updated')).toHaveText(/^updated \d\d:\d\d:\d\d/);
  await page
    .getByTestId('cluster-list')
    .getByRole('link', { name: /E2E cluster/ })
    .click();
  const cluster = new ClusterPage(page);
  await expect(cluster.state).toHaveAttribute('data-state', 'ok');
  await expect(cluster.slotsAssigned).toHaveText('16,384');
  await expect(cluster.nodeRows).toHaveCount(6);
  await expect(cluster.masterRows).toHaveCount(3);
  await expect(cluster.nodesReachable).toHaveText('6 / 6');
  await expect(cluster.freshness).toHaveAttribute('data-freshness', 'fresh');
  await page.screenshot({ path: test.info().outputPath('overview.png'), fullPage: true });
});

test('API requests read the cached snapshot and never add Redis commands', async ({ request }) => {
  await loginAs(request, stack, 'viewer');
  const node = stack.dev.nodes[0];
  if (!node) throw new Error('no node');
  const clusterNodesCalls = async () => {
    const stats = String(await stack.dev.client(node).call('INFO', 'commandstats'));
    return commandCalls(stats).get('cluster|nodes') ?? Number.NaN;
  };
  const before = await clusterNodesCalls();
  const started = Date.now();
  const url = `${stack.baseURL}/api/clusters/${stack.clusterId}/snapshot`;
  for (let round = 0; round < 10; round++) {
    const responses = await Promise.all(Array.from({ length: 20 }, () => request.get(url)));
    expect(responses.every((r) => r.status() === 200)).toBe(true);
  }
  const after = await clusterNodesCalls();
  const pollsInWindow = Math.ceil((Date.now() - started) / 500) + 1;
  // 200 requests; the node saw only the poller's own calls (one per poll).
  expect(after - before).toBeGreaterThan(0);
  expect(after - before).toBeLessThanOrEqual(pollsInWindow);
});

test('a killed master turns failed and its replica promoted, without a reload', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.nodeRows).toHaveCount(6);
  const master = stack.dev.masters[0];
  const replica = stack.dev.replicas.find((r) => r.masterId === master?.id);
  if (!master || !replica) throw new Error('no master/replica pair');
  let navigations = 0;
  page.on('framenavigated', () => navigations++);

  await stack.dev.kill(master);
  await expect(cluster.node(master.id)).toHaveAttribute('data-reachable', 'false');
  await expect(cluster.node(master.id)).toHaveAttribute('data-failed', 'true', { timeout: 30_000 });
  await expect(cluster.node(master.id).locator('[data-flag="FAIL"]')).toBeVisible();
  // Who says so: the other nodes' own views, not the dashboard's reach.
  await expect(cluster.node(master.id).getByTestId('node-seen-by')).toContainText(/flagged FAIL by \d nodes/);
  await expect(cluster.node(replica.id)).toHaveAttribute('data-role', 'master', { timeout: 30_000 });
  await expect(cluster.nodesReachable).toHaveText('5 / 6');
  expect(navigations).toBe(0);
  await page.screenshot({ path: test.info().outputPath('master-killed.png'), fullPage: true });
});

test('the page, the overview card and the wall say STALE (grey, never green) when the dashboard server stops answering', async ({
  page,
  context,
}) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  const overview = await context.newPage();
  await overview.goto(`${stack.baseURL}/`);
  const card = overview.getByTestId('cluster-card');
  const wall = await context.newPage();
  await wall.goto(`${stack.baseURL}/wall`);
  const tile = wall.getByTestId('wall-tile');
  await expect(cluster.freshness).toHaveAttribute('data-freshness', 'fresh');
  // (Still DEGRADED from the killed master of the test before: it is FAIL, now without slots.)
  await expect(card).toHaveAttribute('data-freshness', 'fresh');
  await expect(card).toHaveAttribute('data-health', 'degraded');
  await expect(tile).toHaveAttribute('data-freshness', 'fresh');
  await stack.stopServer();
  await expect(cluster.freshness).toHaveAttribute('data-freshness', 'stale', { timeout: 15_000 });
  await expect(cluster.freshness).toContainText('STALE since');
  await expect(cluster.state).toHaveAttribute('data-freshness', 'stale');
  await expect(card).toHaveAttribute('data-health', 'unknown');
  await expect(card.getByTestId('cluster-card-updated')).toContainText('STALE since');
  await expect(card.getByTestId('cluster-card-headline')).toHaveText(/^UNKNOWN — no fresh data since/);
  await expect(tile).toHaveAttribute('data-health', 'unknown');
  await expect(wall.getByTestId('wall-freshness')).toContainText('STALE since');
});
