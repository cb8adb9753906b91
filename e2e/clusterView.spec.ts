import { execFileSync } from 'node:child_process';
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

test('the slot map covers all 16384 slots in as many colours as shards, in at most 180 px at 1920×1080', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(cluster.slotMap).toHaveAttribute('data-uncovered', '0');
  await expect(cluster.legendShards).toHaveCount(3);
  // Healthy: nothing hatched.
  await expect(cluster.slotMap).toHaveAttribute('data-overlay-warning', '0');
  await expect(cluster.slotMap).toHaveAttribute('data-overlay-critical', '0');
  await expect(cluster.overlayLegend).toHaveCount(0);
  const box = await cluster.slotMap.boundingBox();
  expect(box?.height).toBeGreaterThan(60);
  expect(box?.height).toBeLessThanOrEqual(180);
  expect(box?.width).toBeGreaterThan(1800);
  const colours = await cluster.slotColours();
  expect(colours).toHaveLength(16384);
  expect(new Set(colours).size).toBe(3);
  await page.screenshot({ path: test.info().outputPath('cluster-view.png'), fullPage: true });
});

test('a slot set migrating by hand shows on the map and as a finding', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(cluster.finding('slot_open')).toHaveCount(0);
  const [a, b] = stack.dev.masters;
  if (!a || !b) throw new Error('no masters');
  await stack.dev.client(a).call('CLUSTER', 'SETSLOT', '42', 'MIGRATING', b.id);
  await expect(cluster.slotMap).toHaveAttribute('data-open', '42');
  await expect(cluster.finding('slot_open')).toContainText(`${a.addr}`);
  await expect(cluster.finding('slot_open')).toContainText('migrating state 42');
  await cluster.slotMap.focus();
  await cluster.slotMap.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  for (let i = 0; i < 42; i++) await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('slot-info')).toHaveAttribute('data-slot', '42');
  await expect(page.getByTestId('slot-open')).toContainText(`migrating on ${a.addr}`);
  await expect(cluster.timeline('slot_opened')).toHaveCount(1);
  await stack.dev.client(a).call('CLUSTER', 'SETSLOT', '42', 'STABLE');
  await expect(cluster.slotMap).toHaveAttribute('data-open', '');
  await expect(cluster.timeline('slot_closed')).toHaveCount(1);
});

test('a key typed in the lookup shows the slot redis-cli CLUSTER KEYSLOT gives', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  const node = stack.dev.nodes[0];
  for (const key of ['{user1000}.following', 'foo', 'ключ:42']) {
    const expected = execFileSync('redis-cli', [
      '-h',
      node?.host ?? '',
      '-p',
      String(node?.port),
      'CLUSTER',
      'KEYSLOT',
      key,
    ])
      .toString()
      .trim();
    await cluster.keyInput.fill(key);
    await page.getByRole('button', { name: 'Look up' }).click();
    await expect(page.getByTestId('key-lookup-slot')).toHaveText(expected);
  }
  await expect(cluster.keyResult).toContainText('ключ:42');
});

test('the node page leads with a summary; the raw sections below are collapsed, each with a summary line', async ({
  page,
}) => {
  await loginAs(page.request, stack, 'viewer');
  const node = stack.dev.masters[0];
  const replica = stack.dev.replicas.find((r) => r.masterId === node?.id);
  if (!node || !replica) throw new Error('no pair');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/nodes/${node.id}`);
  const summary = page.getByTestId('node-summary');
  await expect(summary).toHaveAttribute('data-role', 'master');
  await expect(summary.getByTestId('node-summary-role')).toContainText('MASTER');
  await expect(summary.getByTestId('node-summary-role')).toContainText(/[\d,]+ slots/);
  // Memory in binary units; the dev cluster sets no maxmemory, and the summary says so; with one, the share of it.
  const memory = summary.getByTestId('node-summary-memory');
  await expect(memory).toContainText(/\d+(\.\d)? (KiB|MiB|GiB)/);
  await expect(memory).toContainText(/no memory limit\s*\(maxmemory\)/);
  await stack.dev.client(node).call('CONFIG', 'SET', 'maxmemory', String(256 * 1024 * 1024));
  try {
    await expect(memory).toContainText(/of 256 MiB memory limit\s*\(maxmemory\)/);
    await expect(memory.getByTestId('node-summary-memory-pct')).toHaveText(/^\d+ %$/);
  } finally {
    await stack.dev.client(node).call('CONFIG', 'SET', 'maxmemory', '0');
  }
  await expect(summary.getByTestId('node-summary-reachable')).toContainText('yes');
  await expect(summary.getByTestId('node-summary-ops')).toContainText('/s');
  await expect(summary.getByTestId('node-summary-replica')).toHaveCount(1);
  await expect(summary.getByTestId('node-summary-replica')).toHaveAttribute('data-link', 'up');
  // A viewer gets no failover action.
  await expect(page.getByTestId('node-failover')).toHaveCount(0);
  // Raw sections: collapsed, their contents hidden, a line saying what is in each.
  const raw = page.getByTestId('node-raw');
  await expect(raw).toHaveCount(4);
  for (const section of ['config', 'links', 'slowlog', 'info'])
    await expect(page.locator(`[data-testid="node-raw"][data-section="${section}"]`)).not.toHaveAttribute('open');
  await expect(page.getByTestId('node-config')).toBeHidden();
  const config = page.locator('[data-testid="node-raw"][data-section="config"]');
  await expect(config.getByTestId('node-raw-line')).toContainText('cluster-node-timeout 2000 ms');
  const links = page.locator('[data-testid="node-raw"][data-section="links"]');
  await expect(links.getByTestId('node-raw-line')).toContainText('10 links');
  await page.screenshot({ path: test.info().outputPath('node-page.png'), fullPage: true });
  // Opened, they show what they always showed.
  await config.locator('summary').click();
  await expect(page.getByTestId('node-config')).toBeVisible();
  await expect(page.getByTestId('node-config')).toContainText('cluster-node-timeout');
  await expect(page.getByTestId('node-config')).toContainText('2000');
  await links.locator('summary').click();
  // Two links (to and from) per other node.
  await expect(page.getByTestId('node-links').locator('tbody tr')).toHaveCount(10);

  // The replica's page: its master (a link), its replication link and how far behind it is.
  await summary.getByTestId('node-summary-replica').getByTestId('node-summary-link').click();
  await expect(page).toHaveURL(new RegExp(`/nodes/${replica.id}$`));
  await expect(summary).toHaveAttribute('data-role', 'replica');
  await expect(summary.getByTestId('node-summary-role')).toContainText('REPLICA');
  await expect(summary.getByTestId('node-summary-role')).toContainText(`of ${node.addr}`);
  await expect(summary.getByTestId('node-summary-link-status')).toContainText('up');
  await expect(summary.getByTestId('node-summary-lag')).toContainText(/\d+ B/);
});

test('an operator opens the failover wizard from a replica’s node page', async ({ page }) => {
  await loginAs(page.request, stack, 'operator');
  const replica = stack.dev.replicas[0];
  if (!replica) throw new Error('no replica');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/nodes/${replica.id}`);
  await page.getByTestId('node-failover').click();
  const wizard = page.getByTestId('failover-wizard');
  await expect(wizard).toBeVisible();
  // The wizard's plan is for this replica.
  await expect(wizard).toContainText(replica.addr);
});

test('the slots of a hung master are hatched within a few polls, and back to plain once it answers again', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(cluster.slotMap).toHaveAttribute('data-overlay-warning', '0');
  const master = stack.dev.masters[1];
  if (!master) throw new Error('no master');
  const snapshot = await (await page.request.get(`${stack.baseURL}/api/clusters/${stack.clusterId}/snapshot`)).json();
  const owned = (snapshot.nodes as Array<{ id: string; slots: Array<[number, number]> }>).find(
    (n) => n.id === master.id,
  )?.slots;
  if (!owned?.length) throw new Error('the master owns no slots');
  const slots = owned.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
  const hung = new Set(slots);
  const shardColour = (await cluster.slotColours())[slots[0] ?? 0];
  stack.dev.signal(master, 'SIGSTOP');
  try {
    // Poll every 500 ms, node deadline 500 ms: the dashboard's next poll finds it hung.
    const overlaid = async () =>
      Number(await cluster.slotMap.getAttribute('data-overlay-warning')) +
      Number(await cluster.slotMap.getAttribute('data-overlay-critical'));
    await expect.poll(overlaid, { timeout: 4_000, intervals: [100] }).toBe(slots.length);
    await expect(cluster.overlayLegend.first()).toContainText(`${slots.length.toLocaleString('en-US')} slots: master`);
    // The text equivalent says it too, on that master's row of the ranges list.
    await expect(page.getByTestId('slot-ranges-state')).toHaveCount(1);
    await expect(
      page.getByTestId('slot-ranges').locator('tr', { has: page.getByTestId('slot-ranges-state') }),
    ).toContainText(master.addr);
    const colours = await cluster.slotColours();
    // Every one of its slots is dimmed and striped: none keeps the plain shard colour; the other shards do.
    expect(slots.filter((s) => colours[s] === shardColour)).toEqual([]);
    expect(colours.filter((c, s) => !hung.has(s) && c === shardColour)).toEqual([]);
    expect(new Set(colours.filter((_, s) => !hung.has(s))).size).toBe(2);
    await page.screenshot({ path: test.info().outputPath('slot-overlay.png') });
  } finally {
    stack.dev.signal(master, 'SIGCONT');
  }
  // It answers again (or, after a failover, rejoins as the replica of the promoted one and syncs).
  await expect(cluster.slotMap).toHaveAttribute('data-overlay-warning', '0', { timeout: 30_000 });
  await expect(cluster.slotMap).toHaveAttribute('data-overlay-critical', '0');
  await expect(cluster.overlayLegend).toHaveCount(0);
});

test('after a master is killed, the failure, the promotion and the timeline events appear without a reload', async ({
  page,
}) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  let navigations = 0;
  page.on('framenavigated', () => navigations++);
  const master = stack.dev.masters[2];
  const replica = stack.dev.replicas.find((r) => r.masterId === master?.id);
  if (!master || !replica) throw new Error('no pair');
  await stack.dev.kill(master);
  await expect(cluster.finding('node_fail')).toContainText(master.addr, { timeout: 30_000 });
  await expect(cluster.node(replica.id)).toHaveAttribute('data-role', 'master', { timeout: 30_000 });
  // (The hung-master test above may have left a failover of another shard in the timeline.)
  const failover = cluster.timeline('failover').filter({ hasText: replica.addr });
  await expect(failover).toHaveCount(1);
  await expect(failover).toContainText('config epoch');
  await expect(cluster.timeline('node_fail').filter({ hasText: master.addr })).toHaveCount(1);
  await expect(cluster.finding('master_no_replica')).toContainText(replica.addr);
  // The promoted replica's slots are hatched: no replica left to take over.
  await expect(page.locator('[data-testid="slot-overlay-legend"][data-reason="noReplica"]')).toBeVisible();
  expect(Number(await cluster.slotMap.getAttribute('data-overlay-warning'))).toBe(
    Number(
      await page.locator('[data-testid="slot-overlay-legend"][data-reason="noReplica"]').getAttribute('data-slots'),
    ),
  );
  expect(navigations).toBe(0);
  await page.screenshot({ path: test.info().outputPath('after-failover.png'), fullPage: true });
});
