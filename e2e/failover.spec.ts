import { expect, test } from '@playwright/test';
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

test('a viewer sees no failover buttons', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(page.getByTestId('shard')).toHaveCount(3);
  await expect(page.getByTestId('failover-replica')).toHaveCount(0);
});

test('an operator runs the wizard: pre-checks, confirmation, every step, new master on the page without a reload', async ({
  page,
  browser,
}) => {
  // A second viewer, on another browser context, watches the same cluster page.
  const viewerContext = await browser.newContext();
  await loginAs(viewerContext.request, stack, 'viewer');
  const viewerPage = await viewerContext.newPage();
  await viewerPage.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(new ClusterPage(viewerPage).live).toHaveAttribute('data-live', 'true');
  await loginAs(page.request, stack, 'operator');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  let navigations = 0;
  page.on('framenavigated', () => navigations++);
  const master = stack.dev.masters[0];
  if (!master) throw new Error('no master');
  await page.locator(`[data-testid="shard"][data-master-id="${master.id}"]`).getByTestId('failover-master').click();
  const wizard = page.getByTestId('failover-wizard');
  await expect(wizard.getByTestId('failover-check')).not.toHaveCount(0);
  await expect(wizard.locator('[data-testid="failover-check"][data-status="fail"]')).toHaveCount(0);
  await expect(wizard.getByTestId('failover-explanation')).toContainText('nothing acknowledged is lost');
  await expect(wizard.getByRole('radio', { name: /FORCE/ })).toBeDisabled();
  const replicaId = (await wizard.locator('code').innerText()).trim();
  const replica = stack.dev.nodes.find((n) => n.id === replicaId);
  expect(replica?.masterId).toBe(master.id);
  const start = wizard.getByRole('button', { name: /Start DEFAULT failover/ });
  await expect(start).toBeDisabled();
  await wizard.getByLabel('Confirmation').fill(replicaId);
  await start.click();
  await expect(wizard.getByTestId('failover-job')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  for (const step of [
    'scheduled',
    'replica caught up',
    'elected (new epoch)',
    'every reachable node agrees',
    'old master is a replica of the new one',
    'verified',
  ]) {
    await expect(wizard.locator(`[data-testid="failover-step"][data-step="${step}"]`)).toHaveAttribute(
      'data-state',
      'done',
    );
  }
  await expect(cluster.node(replicaId)).toHaveAttribute('data-role', 'master');
  await expect(cluster.node(master.id)).toHaveAttribute('data-role', 'replica');
  await expect(cluster.timeline('failover')).toContainText(replica?.addr ?? '');
  await expect(wizard.getByTestId('failback')).toContainText(/Fail back to/);
  expect(navigations).toBe(0);
  await page.screenshot({ path: test.info().outputPath('failover-wizard.png'), fullPage: true });
  // The other viewer was told, without a reload: the job's steps and the new roles.
  await expect(viewerPage.getByTestId('recent-failover').getByTestId('failover-job')).toHaveAttribute(
    'data-state',
    'succeeded',
  );
  await expect(new ClusterPage(viewerPage).node(replicaId)).toHaveAttribute('data-role', 'master');
  await viewerContext.close();
});
