import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { loginAs, type Stack, startStack } from './support/stack';

// Hardened nodes as the seed's template makes them: CONFIG renamed per port, FLUSHALL and FLUSHDB disabled. The
// dashboard is told (commandRenames); the config diff, "Set on every node" and a node whose CONFIG is disabled.

test.describe.configure({ mode: 'serial' });

const HARDENED = { CONFIG: 'CONFIG_{port}', FLUSHALL: '', FLUSHDB: '' };
let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack({ cluster: { renameCommands: HARDENED }, clusterConfig: { commandRenames: HARDENED } });
});
test.afterAll(async () => {
  await stack?.stop();
});

const configPage = () => `${stack.baseURL}/clusters/${stack.clusterId}/config`;
const nodes = () => stack.dev.nodes.filter((n) => n.role !== 'empty');

test('the diff names the node whose value differs; a viewer has no "Set on every node" and gets 403', async ({
  page,
  playwright,
}) => {
  const [odd] = nodes();
  if (!odd) throw new Error('no node');
  await stack.dev.client(odd).call(`CONFIG_${odd.port}`, 'SET', 'maxmemory-samples', '7');
  await loginAs(page.request, stack, 'viewer');
  await page.goto(configPage());
  const row = page.locator('[data-testid="config-param"][data-param="maxmemory-samples"]');
  await expect(row).toBeVisible();
  await expect(row.locator('[data-testid="config-value"][data-value="7"]')).toContainText(odd.addr);
  await expect(page.getByTestId('config-unreadable')).toHaveCount(0);
  await expect(page.getByTestId('config-set-open')).toHaveCount(0);
  const viewer = await playwright.request.newContext();
  try {
    await loginAs(viewer, stack, 'viewer');
    const response = await viewer.post(`${stack.baseURL}/api/clusters/${stack.clusterId}/config/set`, {
      headers: { origin: stack.baseURL },
      data: { params: { 'maxmemory-samples': '5' }, confirm: 'maxmemory-samples' },
    });
    expect(response.status()).toBe(403);
  } finally {
    await viewer.dispose();
  }
});

test('an admin sets a parameter on every node: plan old → new, typed names, live steps per node', async ({ page }) => {
  await loginAs(page.request, stack, 'admin');
  await page.goto(configPage());
  await page.getByTestId('config-set-open').click();
  const dialog = page.getByTestId('config-set-dialog');
  await dialog.getByTestId('config-set-name').fill('maxmemory-samples');
  await dialog.getByTestId('config-set-value').fill('6');
  await expect(dialog.getByTestId('config-set-row')).toHaveCount(6);
  await expect(dialog.getByTestId('config-set-plan')).toContainText('maxmemory-samples 7 → 6');
  const start = dialog.getByTestId('config-set-start');
  await expect(start).toBeDisabled();
  await dialog.getByTestId('config-set-confirm').fill('maxmemory-samples');
  await expect(start).toBeEnabled();
  await start.click();
  const job = dialog.getByTestId('config-set-job');
  await expect(job).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  await expect(job.locator('[data-testid="config-set-step"][data-state="done"]')).toHaveCount(7);
  await page.screenshot({ path: test.info().outputPath('config-set-dialog.png') });
  for (const node of nodes())
    expect(await stack.dev.client(node).call(`CONFIG_${node.port}`, 'GET', 'maxmemory-samples')).toEqual([
      'maxmemory-samples',
      '6',
    ]);
  await dialog.getByTestId('config-set-close').click();
  await expect(page.locator('[data-testid="config-param"][data-param="maxmemory-samples"]')).toHaveCount(0);
});

test('a node restarted with CONFIG disabled is named on the config page and its node page, not down', async ({
  page,
}) => {
  const node = nodes().find((n) => n.role === 'replica');
  if (!node) throw new Error('no replica');
  const file = path.join(node.process.dir, 'redis.conf');
  const text = await readFile(file, 'utf8');
  expect(text).toMatch(/^rename-command CONFIG \S+$/m);
  await writeFile(file, text.replace(/^rename-command CONFIG \S+$/m, 'rename-command CONFIG ""'));
  await stack.dev.kill(node);
  await stack.dev.restart(node);

  await loginAs(page.request, stack, 'admin');
  await expect(async () => {
    await page.goto(configPage());
    await expect(page.locator(`[data-testid="config-unreadable-node"][data-addr="${node.addr}"]`)).toContainText(
      'CONFIG unknown on this node',
      { timeout: 2000 },
    );
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('config-unreadable-node')).toHaveCount(1);

  const snapshot = await (await page.request.get(`${stack.baseURL}/api/clusters/${stack.clusterId}/snapshot`)).json();
  const polled = snapshot.nodes.find((n: { id: string }) => n.id === node.id);
  expect(polled).toMatchObject({ reachable: true });
  expect(polled.error).toBeUndefined();

  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  const row = page.locator(`[data-testid="node-row"][data-node-id="${node.id}"]`);
  await expect(row).toHaveAttribute('data-reachable', 'true');
  await expect(row.getByTestId('node-config-unavailable')).toHaveText('CONFIG unknown', { timeout: 30_000 });
  await expect(page.getByTestId('node-config-unavailable')).toHaveCount(1);

  // The poll asks CONFIG GET cluster-* every 30 s per node: the refusal shows at its next read.
  const config = page.locator('[data-testid="node-raw"][data-section="config"]');
  await expect(async () => {
    await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/nodes/${node.id}`);
    await expect(config.getByTestId('node-raw-line')).toContainText('CONFIG unknown on this node', { timeout: 2000 });
  }).toPass({ timeout: 45_000 });
  await config.locator('summary').click();
  await expect(page.getByTestId('node-config-missing')).toContainText('config diff skips it');
});
