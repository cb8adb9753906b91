import { expect, test } from '@playwright/test';
import { parseClusterNodes } from '../lib/redis/clusterNodes';
import { redisCliCheck } from '../scripts/test/redisCliCheck';
import { fillSlots } from '../scripts/test/slotData';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

// A slot left open by a move cut short shows as a finding with Fix; the fix's plan names the slot and what will be
// done (redis-cli --cluster fix's case), the typed cluster name starts it, and the finding goes once it has run.

test.describe.configure({ mode: 'serial' });

let stack: Stack;
const SLOT = 1234;
const KEYS = 20;

test.beforeAll(async () => {
  stack = await startStack();
  await fillSlots(stack.dev, [SLOT], () => KEYS);
});
test.afterAll(async () => {
  await stack?.stop();
});

async function owner(slot: number): Promise<string | undefined> {
  const seed = stack.dev.nodes[0];
  if (!seed) throw new Error('no node');
  return parseClusterNodes(await stack.dev.clusterNodes(seed)).find((l) =>
    l.slots.some(([a, b]) => slot >= a && slot <= b),
  )?.id;
}

test('"slot 1234 open" offers Fix; the plan names the slot and the case; after it runs the finding is gone', async ({
  page,
}) => {
  const ownerId = await owner(SLOT);
  const source = stack.dev.masters.find((m) => m.id === ownerId);
  const target = stack.dev.masters.find((m) => m.id !== ownerId);
  if (!source || !target) throw new Error('no masters');
  // A move cut short: the target importing, the source migrating, every key still on the source.
  await stack.dev.client(target).call('CLUSTER', 'SETSLOT', String(SLOT), 'IMPORTING', source.id);
  await stack.dev.client(source).call('CLUSTER', 'SETSLOT', String(SLOT), 'MIGRATING', target.id);

  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginAs(page.request, stack, 'operator');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  const finding = page.locator('[data-testid="finding"][data-code="slot_open"]');
  await expect(finding.first()).toBeVisible();
  await expect(finding.first()).toContainText(String(SLOT));

  await finding.first().getByTestId('fix-open').click();
  const dialog = page.getByTestId('fix-dialog');
  await expect(dialog).toBeVisible();
  const action = dialog.locator(`[data-testid="fix-action"][data-slot="${SLOT}"]`);
  await expect(action).toHaveCount(1);
  await expect(action).toHaveAttribute('data-case', 'migrating_and_importing');
  await expect(action).toHaveAttribute('data-owner', target.id);
  await expect(dialog.locator('[data-testid="fix-check"][data-status="fail"]')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('fix-dialog-1920.png') });

  const start = dialog.getByTestId('fix-start');
  await expect(start).toBeDisabled();
  await dialog.getByTestId('fix-confirm').fill('E2E cluster');
  await expect(start).toBeEnabled();
  await start.click();
  await expect(dialog).toBeHidden();

  const panel = page.getByTestId('reshard-progress');
  await expect(panel).toHaveAttribute('data-state', 'succeeded', { timeout: 60_000 });
  await expect(panel).toContainText('Last fix: done');
  await expect(page.locator('[data-testid="finding"][data-code="slot_open"]')).toHaveCount(0, { timeout: 15_000 });
  expect(await owner(SLOT)).toBe(target.id);
  expect(Number(await stack.dev.client(target).call('CLUSTER', 'COUNTKEYSINSLOT', String(SLOT)))).toBe(KEYS);
  const report = await redisCliCheck(target.addr, stack.dev.password);
  expect(report).toMatchObject({ agree: true, covered: true, openSlots: [] });
});
