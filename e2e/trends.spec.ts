import { expect, test } from '@playwright/test';
import parsePrometheus from 'parse-prometheus-text-format';
import { connectTo } from '../scripts/devcluster/cluster';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
  // A little traffic so the rate charts have something to draw.
  const master = stack.dev.masters[0];
  if (!master) throw new Error('no master');
  const client = connectTo(master.host, master.port);
  try {
    for (let i = 0; i < 2000; i++) await client.call('PING');
  } finally {
    client.disconnect();
  }
});
test.afterAll(async () => {
  await stack?.stop();
});

test('the trends page draws the charts with data and the latency panel lists every node', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/trends`);
  await page.getByRole('button', { name: '5m', exact: true }).click();
  const memory = page.locator('[data-testid="shard-chart"][data-metric="used_memory"]');
  await expect
    .poll(async () => Number(await memory.getAttribute('data-points')), { timeout: 15_000 })
    .toBeGreaterThan(3);
  await expect(memory.locator('.recharts-area-area')).toHaveCount(3);
  await expect(
    page.locator('[data-testid="node-multiples"][data-metric="ops_per_sec"] [data-testid="node-chart"]'),
  ).toHaveCount(6);
  await expect(
    page.locator('[data-testid="node-multiples"][data-metric="ops_per_sec"] .recharts-line-curve'),
  ).toHaveCount(6);
  const rows = page.getByTestId('latency-row');
  await expect(rows).toHaveCount(6);
  for (const node of stack.dev.nodes) await expect(page.getByTestId('latency-table')).toContainText(node.addr);
  await expect
    .poll(async () => (await rows.first().locator('td').nth(1).innerText()).trim(), { timeout: 10_000 })
    .not.toBe('0');
  await page.screenshot({ path: test.info().outputPath('trends.png'), fullPage: true });
});

test('a viewer cannot start a big-key scan, an operator can and sees it finish', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/trends`);
  await expect(page.getByTestId('bigkeys')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Scan for big keys' })).toHaveCount(0);
  await page.context().clearCookies();
  await loginAs(page.request, stack, 'operator');
  await page.reload();
  await page.getByRole('button', { name: 'Scan for big keys' }).click();
  await expect(page.getByTestId('bigkeys-job')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
});

test('GET /api/metrics serves every node in the Prometheus text format to a bearer token', async ({ request }) => {
  expect((await request.get(`${stack.baseURL}/api/metrics`)).status()).toBe(401);
  expect(
    (
      await request.get(`${stack.baseURL}/api/metrics`, {
        headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' },
      })
    ).status(),
  ).toBe(401);
  const response = await request.get(`${stack.baseURL}/api/metrics`, {
    headers: { authorization: `Bearer ${stack.metricsToken}` },
  });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/plain; version=0.0.4');
  const families = parsePrometheus(await response.text());
  const up = families.find((f) => f.name === 'redis_up');
  expect(new Set(up?.metrics.map((m) => m.labels?.addr))).toEqual(new Set(stack.dev.nodes.map((n) => n.addr)));
  expect(up?.metrics.every((m) => m.value === '1')).toBe(true);
  const used = families.find((f) => f.name === 'redis_memory_used_bytes');
  expect(used?.metrics).toHaveLength(6);
  // Node series carry no role (it would start new series at every failover); redis_instance_info has it.
  expect(Object.keys(used?.metrics[0]?.labels ?? {}).sort()).toEqual(['addr', 'cluster', 'node_id']);
  expect(used?.metrics[0]?.labels?.cluster).toBe(stack.clusterId);
  const roles = families.find((f) => f.name === 'redis_instance_info')?.metrics.map((m) => m.labels?.role);
  expect(roles?.sort()).toEqual(['master', 'master', 'master', 'replica', 'replica', 'replica']);
  expect(families.find((f) => f.name === 'redis_cluster_slots_ok')?.metrics[0]?.value).toBe('16384');
  // A viewer session works too.
  await loginAs(request, stack, 'viewer');
  expect((await request.get(`${stack.baseURL}/api/metrics`)).status()).toBe(200);
});
