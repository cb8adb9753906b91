import { expect, test } from '@playwright/test';
import { parseInfo } from '../lib/redis/info';
import { redisCliCheck } from '../scripts/test/redisCliCheck';
import { ClusterPage } from './pages/ClusterPage';
import { RollingRestartPanel } from './pages/RollingRestartPanel';
import { loginAs, type Stack, startStack } from './support/stack';

// The rolling restart from the cluster page: the plan, the typed confirmation, then the checklist live. The test is
// the operator: each time the page says "Restart <addr> now" it restarts that redis-server (same port, nodes.conf).

test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack({ cluster: { nodeTimeoutMs: 2000 }, pollIntervalMs: 250 });
});
test.afterAll(async () => {
  await stack?.stop();
});

test('a viewer has no Rolling restart button, and the API refuses them', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(new RollingRestartPanel(page).open).toHaveCount(0);
  const refused = await page.request.post(`${stack.baseURL}/api/clusters/${stack.clusterId}/rolling-restart`, {
    headers: { origin: stack.baseURL },
    data: { failBack: true, confirm: 'E2E cluster' },
  });
  expect(refused.status()).toBe(403);
});

test('an operator restarts every node through the checklist, failing back: every run_id new, check clean', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1600, height: 1000 });
  await loginAs(page.request, stack, 'operator');
  const runId = async (n: (typeof stack.dev.nodes)[number]) =>
    parseInfo(String(await stack.dev.client(n).call('INFO', 'server'))).fields.run_id;
  const before = new Map<string, string | undefined>();
  for (const n of stack.dev.nodes) before.set(n.addr, await runId(n));
  const cluster = new ClusterPage(page);
  const panel = new RollingRestartPanel(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');

  await panel.open.click();
  await expect(panel.dialog).toBeVisible();
  // 3 replicas, then per master: failover, restart, failback.
  await expect(panel.plan.locator('li')).toHaveCount(12);
  await expect(panel.start).toBeDisabled();
  await panel.confirm.fill('E2E cluster');
  await expect(panel.start).toBeEnabled();
  await panel.start.click();
  await expect(panel.dialog).toBeHidden();
  await expect(panel.job).toHaveAttribute('data-state', 'running');
  await expect(panel.steps).toHaveCount(12);

  const restarted: string[] = [];
  while (restarted.length < 6) {
    await expect(panel.now).toHaveText(/^Restart \S+ now$/, { timeout: 60_000 });
    const addr = (await panel.now.textContent())?.replace(/^Restart (\S+) now$/, '$1') ?? '';
    expect(restarted).not.toContain(addr);
    await expect(panel.health).toHaveAttribute('data-ok', 'true');
    const node = stack.dev.nodes.find((n) => n.addr === addr);
    if (!node) throw new Error(`the page named ${addr}, not a node of this cluster`);
    await stack.dev.restartGracefully(node);
    restarted.push(addr);
    // The page moves on by itself once the job sees the new run_id.
    await expect(panel.now).not.toHaveText(`Restart ${addr} now`, { timeout: 60_000 });
  }
  await expect(panel.job).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(panel.steps.and(page.locator('[data-state="done"]'))).toHaveCount(12);
  for (const n of stack.dev.nodes) expect(await runId(n), n.addr).not.toBe(before.get(n.addr));
  const check = await redisCliCheck(stack.dev.nodes[0]?.addr ?? '', stack.dev.password);
  expect(check).toMatchObject({ agree: true, covered: true, openSlots: [] });
});
