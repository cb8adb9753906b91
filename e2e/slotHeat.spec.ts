import { expect, test } from '@playwright/test';
import { serverBin } from '../scripts/test/flavours';
import { hammerHotTag, hotSlotOwner, writeSkewedKeys } from '../scripts/test/skewedLoad';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

// Heat mode of the slot map on Valkey 8 (CLUSTER SLOT-STATS, cluster-slot-stats-enabled yes): the hammered hash tag's
// slot leads the hot-slot list by keys and by CPU, the legend names the source, and a click selects the slot.

test.describe.configure({ mode: 'serial' });

const HOT_KEYS = 2000;
let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack({
    cluster: { serverBin: serverBin('valkey'), extraConfig: { 'cluster-slot-stats-enabled': 'yes' } },
  });
  await writeSkewedKeys(stack.dev, HOT_KEYS);
});
test.afterAll(async () => {
  await stack?.stop();
});

test('heat mode shows the hot slot first by keys and by CPU, from CLUSTER SLOT-STATS', async ({ page }) => {
  test.setTimeout(120_000);
  const { slot, owner } = await hotSlotOwner(stack.dev);
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(cluster.slotMap).toHaveAttribute('data-mode', 'ownership');

  const modes = page.getByTestId('slot-map-mode');
  await modes.getByText('Keys', { exact: true }).click();
  await expect(cluster.slotMap).toHaveAttribute('data-mode', 'keys');
  const hotRows = page.getByTestId('hot-slot');
  await expect(hotRows.first()).toHaveAttribute('data-slot', String(slot), { timeout: 30_000 });
  await expect(hotRows.first()).toContainText(owner.addr);
  await expect(hotRows.first()).toContainText(`${(HOT_KEYS + 1).toLocaleString('en-US')} keys`);
  await expect(hotRows).toHaveCount(20);
  await expect(page.getByTestId('heat-source')).toContainText('from CLUSTER SLOT-STATS on Valkey');
  // Painted by heat: the hot slot at the top of the scale (white), the others (one key each) dark blue.
  const colours = await cluster.slotColours();
  expect(colours[slot]).toBe('244,251,255');
  expect(new Set(colours.filter((_, i) => i !== slot))).toEqual(new Set([colours[0]]));
  expect(colours[0]).not.toBe(colours[slot]);

  await hotRows.first().getByRole('button').click();
  await expect(page.getByTestId('slot-info')).toHaveAttribute('data-slot', String(slot));

  // CPU is a rate between two reads of the counters: it appears once the load has run across two reads.
  const load = hammerHotTag(stack.dev, HOT_KEYS, 60_000);
  try {
    await modes.getByText('CPU', { exact: true }).click({ timeout: 45_000 });
    await expect(cluster.slotMap).toHaveAttribute('data-mode', 'cpu');
    await expect(hotRows.first()).toHaveAttribute('data-slot', String(slot), { timeout: 30_000 });
    await expect(hotRows.first()).toContainText('CPU/s');
    await expect(page.getByTestId('heat-source')).toContainText('rate between two CLUSTER SLOT-STATS reads');
  } finally {
    await load.stop();
  }
  await page.screenshot({ path: test.info().outputPath('slot-heat.png'), fullPage: true });
});

test('the heat API sends per-slot values only for the metric asked for, and refuses an unknown one', async ({
  page,
}) => {
  await loginAs(page.request, stack, 'viewer');
  const path = `${stack.baseURL}/api/clusters/${stack.clusterId}/slots/heat`;
  const keysOnly = await (await page.request.get(`${path}?values=keys`)).json();
  expect(keysOnly.metrics.keys.values).toHaveLength(16384);
  expect(keysOnly.metrics.cpu.values).toEqual([]);
  const none = await (await page.request.get(`${path}?values=none`)).json();
  expect(none.metrics.keys.values).toEqual([]);
  expect(none.metrics.keys.top[0].value).toBe(HOT_KEYS + 1);
  const bad = await page.request.get(`${path}?values=memory`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error.code).toBe('bad_request');
});
