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

test('the slot map covers all 16384 slots in as many colours as shards', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(cluster.slotMap).toHaveAttribute('data-uncovered', '0');
  await expect(cluster.legendShards).toHaveCount(3);
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

test('the node page shows the cluster-* settings and the cluster bus links of the node', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const node = stack.dev.masters[0];
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/nodes/${node?.id}`);
  await expect(page.getByTestId('node-config')).toContainText('cluster-node-timeout');
  await expect(page.getByTestId('node-config')).toContainText('2000');
  // Two links (to and from) per other node.
  await expect(page.getByTestId('node-links').locator('tbody tr')).toHaveCount(10);
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
  await expect(cluster.timeline('failover')).toContainText(`${replica.addr}`);
  await expect(cluster.timeline('failover')).toContainText('config epoch');
  await expect(cluster.timeline('node_fail')).toHaveCount(1);
  await expect(cluster.finding('master_no_replica')).toContainText(replica.addr);
  expect(navigations).toBe(0);
  await page.screenshot({ path: test.info().outputPath('after-failover.png'), fullPage: true });
});
