import { expect, test } from '@playwright/test';
import { parseClusterNodes } from '../lib/redis/clusterNodes';
import type { DevNode } from '../scripts/devcluster/cluster';
import { redisCliCheck } from '../scripts/test/redisCliCheck';
import { ClusterPage } from './pages/ClusterPage';
import { hiddenActions } from './support/layout';
import { loginAs, type Stack, startStack } from './support/stack';

// Add node from the cluster page: the typed address checked (allowedTargets, reads only) with the planner's decision,
// the role, the typed confirmation, the job's steps live until it succeeds, the node in the node table, and the offer
// to rebalance onto the new master. A viewer has no button and gets 403 from the API.

test.describe.configure({ mode: 'serial' });

const SPARE_HOST = '127.0.0.4';
let stack: Stack;
let spare: DevNode;

test.beforeAll(async () => {
  // Only the spare's host is an allowed target: the dashboard may contact no other typed address.
  stack = await startStack({ clusterConfig: { allowedTargets: [`${SPARE_HOST}/32`] } });
  spare = await stack.dev.startEmptyNode(SPARE_HOST);
});
test.afterAll(async () => {
  await stack?.stop();
});

test('a viewer has no Add node button and gets 403 from the add-node routes', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(cluster.nodeRows).toHaveCount(6);
  await expect(page.getByTestId('add-node-open')).toHaveCount(0);
  const body = { addr: spare.addr, role: 'master' };
  const headers = { origin: stack.baseURL };
  const nodes = `${stack.baseURL}/api/clusters/${stack.clusterId}/nodes`;
  expect((await page.request.post(`${nodes}/plan`, { data: body, headers })).status()).toBe(403);
  expect((await page.request.post(nodes, { data: { ...body, confirm: spare.addr }, headers })).status()).toBe(403);
  // Nothing reached the spare: it still knows only itself.
  const view = parseClusterNodes(String(await stack.dev.client(spare).call('CLUSTER', 'NODES')));
  expect(view.map((l) => l.id)).toEqual([spare.id]);
});

test('an operator checks, confirms and watches the node join; it shows in the node table', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await loginAs(page.request, stack, 'operator');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await page.getByTestId('add-node-open').click();
  const dialog = page.getByTestId('add-node-dialog');
  await expect(dialog).toBeVisible();

  // An address outside allowedTargets: refused before any packet, said in words.
  await dialog.getByTestId('add-node-addr').fill('127.0.0.5:7000');
  await dialog.getByTestId('add-node-check').click();
  await expect(dialog.getByTestId('add-node-check-error')).toContainText('allowedTargets');
  await expect(dialog.getByTestId('add-node-start')).toBeDisabled();

  // A replica's preview names the default master: fewest replicas, another host.
  await dialog.getByTestId('add-node-addr').fill(spare.addr);
  await dialog.getByTestId('add-node-role-replica').check();
  await dialog.getByTestId('add-node-check').click();
  await expect(dialog.getByTestId('add-node-preview')).toHaveAttribute('data-ok', 'true');
  await expect(dialog.locator('[data-fact="keys"] td')).toHaveText('0');
  await expect(dialog.locator('[data-fact="slots in its cluster"] td')).toHaveText('0');
  await expect(dialog.locator('[data-fact="node id"] td')).toHaveText(spare.id);
  await expect(dialog.getByTestId('add-node-plan-master')).toHaveAttribute('data-node-id', /^[0-9a-f]{40}$/);
  await expect(dialog.getByTestId('add-node-plan')).toContainText('the default, fewest replicas on another host');

  // Added as a master: no master to replicate, the confirmation must be the exact address.
  await dialog.getByTestId('add-node-role-master').check();
  await expect(dialog.getByTestId('add-node-plan')).toContainText('as a master');
  await expect(dialog.getByTestId('add-node-plan-master')).toHaveCount(0);
  const start = dialog.getByTestId('add-node-start');
  await expect(start).toBeDisabled();
  await dialog.getByTestId('add-node-confirm').fill(`${spare.addr}0`);
  await expect(start).toBeDisabled();
  await dialog.getByTestId('add-node-confirm').fill(spare.addr);
  await expect(start).toBeEnabled();
  expect(await hiddenActions(page)).toEqual([]);
  await start.click();

  const job = dialog.getByTestId('add-node-job');
  await expect(job).toBeVisible();
  const steps = job.getByTestId('add-node-step');
  await expect(steps).toHaveCount(3);
  await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  for (const step of await steps.all()) await expect(step).toHaveAttribute('data-state', 'done');
  await page.screenshot({ path: test.info().outputPath('add-node-1280.png') });

  // Every node's own view lists it as a master; redis-cli agrees.
  for (const node of stack.dev.nodes) {
    const line = parseClusterNodes(await stack.dev.clusterNodes(node)).find((l) => l.id === spare.id);
    expect(line?.role, `${node.addr}'s view`).toBe('master');
  }
  const check = await redisCliCheck(spare.addr, stack.dev.password);
  expect(check).toMatchObject({ agree: true, covered: true, openSlots: [] });

  // The offer: the rebalance dialog opens with "use empty masters" set.
  await dialog.getByTestId('add-node-rebalance').click();
  await expect(dialog).toHaveCount(0);
  const rebalance = page.getByTestId('rebalance-dialog');
  await expect(rebalance).toBeVisible();
  await expect(rebalance.getByTestId('rebalance-use-empty')).toBeChecked();
  await rebalance.getByTestId('rebalance-close').click();

  await expect(cluster.nodeRows).toHaveCount(7);
  await expect(page.locator(`[data-testid="node-row"][data-node-id="${spare.id}"]`)).toHaveAttribute(
    'data-role',
    'master',
  );

  // A reload loses the dialog, not the job: the cluster page lists it with its steps and what is left to do.
  await page.reload();
  const panel = page.locator('[data-testid="lifecycle-job-panel"][data-kind="add-node"]');
  await expect(panel).toContainText(`Add node ${spare.addr} as master`);
  await expect(panel.getByTestId('lifecycle-job')).toHaveAttribute('data-state', 'succeeded');
  await expect(panel.getByTestId('lifecycle-step')).toHaveCount(3);
  await expect(panel.getByTestId('lifecycle-notes')).toContainText('use empty masters');
});
