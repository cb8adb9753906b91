import { expect, test } from '@playwright/test';
import { parseClusterNodes } from '../lib/redis/clusterNodes';
import { redisCliCheck } from '../scripts/test/redisCliCheck';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

// Remove node through the UI: the plan, the node id typed to confirm, the job's steps live; the node leaves every
// view and the table. A master with slots is refused with "Drain first". Operators and viewers cannot remove.

test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

const row = (page: import('@playwright/test').Page, nodeId: string) =>
  page.locator(`[data-testid="node-row"][data-node-id="${nodeId}"]`);

test('an admin removes a replica: plan, typed id, live steps; it leaves every view and the table', async ({ page }) => {
  const replica = stack.dev.replicas[0];
  if (!replica) throw new Error('no replica');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginAs(page.request, stack, 'admin');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await row(page, replica.id).getByTestId('remove-node-open').click();
  const dialog = page.getByTestId('remove-node-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('remove-node-step')).toHaveCount(4);
  await expect(dialog.getByTestId('remove-node-plan')).toContainText('CLUSTER FORGET');
  await expect(dialog.getByTestId('remove-node-plan')).toContainText(`CLUSTER RESET SOFT on ${replica.addr}`);
  const start = dialog.getByTestId('remove-node-start');
  await expect(start).toBeDisabled();
  await dialog.getByTestId('remove-node-confirm').fill(replica.id.slice(0, 20));
  await expect(start).toBeDisabled();
  await dialog.getByTestId('remove-node-confirm').fill(replica.id);
  await start.click();

  const job = dialog.getByTestId('remove-node-job');
  await expect(job).toBeVisible();
  await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(job.locator('[data-testid="failover-step"][data-state="done"]')).toHaveCount(4);
  // The removed process runs on, empty: the result says so, to stop it or reuse it.
  await expect(job).toContainText(`The removed redis-server at ${replica.addr} still runs, empty`);
  await page.screenshot({ path: test.info().outputPath('remove-node-done.png') });
  await dialog.getByTestId('remove-node-close').click();
  await expect(row(page, replica.id)).toHaveCount(0, { timeout: 15_000 });
  // After a reload the job is still on the cluster page, with its result notes.
  await page.reload();
  const panel = page.locator('[data-testid="lifecycle-job-panel"][data-kind="remove-node"]');
  await expect(panel).toContainText(`Remove node ${replica.addr} (replica)`);
  await expect(panel.getByTestId('lifecycle-job')).toHaveAttribute('data-state', 'succeeded');
  await expect(panel.getByTestId('lifecycle-notes')).toContainText('still runs, empty');

  for (const node of stack.dev.nodes.filter((n) => n.id !== replica.id)) {
    const view = parseClusterNodes(await stack.dev.clusterNodes(node));
    expect(view.map((l) => l.id)).not.toContain(replica.id);
  }
  expect(parseClusterNodes(await stack.dev.clusterNodes(replica)).map((l) => l.id)).toEqual([replica.id]);
  const seed = stack.dev.masters[0]?.addr ?? '';
  expect(await redisCliCheck(seed, stack.dev.password)).toMatchObject({ agree: true, covered: true, openSlots: [] });
});

test('a master with slots is refused, with "Drain first" opening the drain', async ({ page }) => {
  const master = stack.dev.masters[1];
  if (!master) throw new Error('no master');
  await loginAs(page.request, stack, 'admin');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await row(page, master.id).getByTestId('remove-node-open').click();
  const dialog = page.getByTestId('remove-node-dialog');
  await expect(dialog.getByTestId('remove-node-refused')).toContainText('drain it first');
  // Refused: no typed confirmation and no Start that only looks pressable, the way out instead.
  await expect(dialog.getByTestId('remove-node-not-startable')).toBeVisible();
  await expect(dialog.getByTestId('remove-node-confirm')).toHaveCount(0);
  await expect(dialog.getByTestId('remove-node-start')).toHaveCount(0);
  await dialog.getByTestId('remove-node-drain-first').click();
  await expect(page.getByTestId('rebalance-dialog')).toBeVisible();
  await expect(page.getByTestId('remove-node-dialog')).toHaveCount(0);
});

test('operators see Move replica but not Remove; viewers neither; the API says 403', async ({ page }) => {
  const replica = stack.dev.replicas[1];
  if (!replica) throw new Error('no replica');
  await loginAs(page.request, stack, 'operator');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(row(page, replica.id).getByTestId('move-replica-open')).toBeVisible();
  await expect(page.getByTestId('remove-node-open')).toHaveCount(0);
  const refused = await page.request.post(
    `${stack.baseURL}/api/clusters/${stack.clusterId}/nodes/${replica.id}/remove`,
    { data: { confirm: replica.id }, headers: { origin: stack.baseURL } },
  );
  expect(refused.status()).toBe(403);

  await loginAs(page.request, stack, 'viewer');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(row(page, replica.id)).toBeVisible();
  await expect(page.getByTestId('move-replica-open')).toHaveCount(0);
  await expect(page.getByTestId('remove-node-open')).toHaveCount(0);
});

test('an operator moves a replica to the default master: shown, confirmed, link verified', async ({ page }) => {
  const replica = stack.dev.replicas[2];
  if (!replica) throw new Error('no replica');
  await loginAs(page.request, stack, 'operator');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await row(page, replica.id).getByTestId('move-replica-open').click();
  const dialog = page.getByTestId('move-replica-dialog');
  const target = dialog.getByTestId('move-replica-target');
  await expect(target).toContainText('the default choice');
  await expect(target).toContainText('another host');
  await dialog.getByTestId('move-replica-confirm').fill(replica.id);
  await dialog.getByTestId('move-replica-start').click();
  const job = dialog.getByTestId('move-replica-job');
  await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await page.reload();
  const panel = page.locator('[data-testid="lifecycle-job-panel"][data-kind="move-replica"]');
  await expect(panel).toContainText(`Move replica ${replica.addr} to `);
  await expect(panel.getByTestId('lifecycle-job')).toHaveAttribute('data-state', 'succeeded');
  const info = String(await stack.dev.client(replica).call('INFO', 'replication'));
  expect(info).toContain('master_link_status:up');
  expect(info).not.toContain(`master_host:${replica.host}\r`);
});
