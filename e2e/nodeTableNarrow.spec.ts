import { expect, type Page, test } from '@playwright/test';
import { ClusterPage } from './pages/ClusterPage';
import { hiddenActions } from './support/layout';
import { loginAs, type Stack, startStack } from './support/stack';

// The node table in a narrow window (800 px): it scrolls sideways, says so, and keeps its actions column pinned in
// view; at 1440 px it fits and shows no scroll cue. A refused Remove shows its reason and the way out, with no typed
// confirmation and no Start to press.

test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

const tableActions = (page: Page) => page.getByTestId('node-table').locator('button');

async function openAsAdmin(page: Page, width: number) {
  await page.setViewportSize({ width, height: 900 });
  await loginAs(page.request, stack, 'admin');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(new ClusterPage(page).live).toHaveAttribute('data-live', 'true');
  await expect(page.getByTestId('node-row')).toHaveCount(stack.dev.nodes.length);
}

test('at 800 px the node table says it scrolls and keeps Move replica / Remove node in view', async ({ page }) => {
  await openAsAdmin(page, 800);
  const box = page.getByTestId('node-table-box');
  await expect(box).toHaveAttribute('data-more-right', 'true');
  await expect(page.getByTestId('node-table-box-scroll-hint')).toContainText('More columns to the right');
  // Every Remove node / Move replica button of the table is inside the visible part of its scrolling box.
  await expect(tableActions(page)).toHaveCount(stack.dev.nodes.length + stack.dev.replicas.length);
  const hidden = (await hiddenActions(page)).filter((p) => /Remove node|Move replica/.test(p));
  expect(hidden).toEqual([]);
  await box.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('node-table-800.png') });

  // Scrolled to the end, the hidden side is the left one and the actions are still where they were.
  await box.locator('div.overflow-x-auto').evaluate((el) => {
    el.scrollLeft = el.scrollWidth;
  });
  await expect(box).toHaveAttribute('data-more-left', 'true');
  await expect(box).toHaveAttribute('data-more-right', 'false');
  expect((await hiddenActions(page)).filter((p) => /Remove node|Move replica/.test(p))).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('node-table-800-scrolled.png') });
});

test('at 1440 px the node table fits: no scroll cue', async ({ page }) => {
  await openAsAdmin(page, 1440);
  const box = page.getByTestId('node-table-box');
  await expect(box).toHaveAttribute('data-more-right', 'false');
  await expect(box).toHaveAttribute('data-more-left', 'false');
  await expect(page.getByTestId('node-table-box-scroll-hint')).toHaveCount(0);
  await box.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('node-table-1440.png') });
});

test('a refused Remove shows the reason and Drain first, and nothing to confirm or start', async ({ page }) => {
  const master = stack.dev.masters[0];
  if (!master) throw new Error('no master');
  await openAsAdmin(page, 800);
  await page.locator(`[data-testid="node-row"][data-node-id="${master.id}"]`).getByTestId('remove-node-open').click();
  const dialog = page.getByTestId('remove-node-dialog');
  await expect(dialog.getByTestId('remove-node-refused')).toContainText('drain it first');
  await expect(dialog.getByTestId('remove-node-not-startable')).toContainText('Nothing to confirm');
  await expect(dialog.getByTestId('remove-node-drain-first')).toBeVisible();
  await expect(dialog.getByTestId('remove-node-confirm')).toHaveCount(0);
  await expect(dialog.getByTestId('remove-node-start')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('remove-refused-800.png') });
});

test('a blocked Rebalance says which pre-check failed, in words, with nothing to confirm or start', async ({
  page,
}) => {
  const [from, to] = stack.dev.masters;
  if (!from || !to) throw new Error('two masters needed');
  // An open slot (as a stopped migration leaves it) fails the "no open slot" pre-check of every slot move.
  await stack.dev.client(from).call('CLUSTER', 'SETSLOT', '0', 'MIGRATING', to.id);
  try {
    await page.setViewportSize({ width: 800, height: 900 });
    await loginAs(page.request, stack, 'operator');
    await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
    await page.getByTestId('rebalance-open').click();
    const dialog = page.getByTestId('rebalance-dialog');
    await dialog.locator(`[data-testid="rebalance-weight-row"][data-node-id="${from.id}"] input`).fill('2');
    await expect(dialog.locator('[data-testid="rebalance-check"][data-status="fail"]').first()).toBeVisible();
    const blocked = dialog.getByTestId('rebalance-not-startable');
    await expect(blocked).toContainText('Blocked: the pre-check');
    await expect(blocked.locator('button')).toHaveCount(0);
    await expect(dialog.getByTestId('rebalance-confirm')).toHaveCount(0);
    await expect(dialog.getByTestId('rebalance-start')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('rebalance-blocked-800.png') });
  } finally {
    await stack.dev.client(from).call('CLUSTER', 'SETSLOT', '0', 'STABLE');
  }
});
