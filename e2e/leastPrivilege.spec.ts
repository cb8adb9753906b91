import { expect, test } from '@playwright/test';
import { NARROW_MONITOR_RULES } from '../lib/redis/aclProfiles';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

const PASSWORD = 'e2e-default-pw';
let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack({
    cluster: { password: PASSWORD },
    extraClusters: (dev) => [
      {
        id: 'narrow',
        name: 'Narrow monitor',
        seeds: [dev.nodes[0]?.addr ?? ''],
        username: 'narrow',
        password: 'narrow-pw',
        pollIntervalMs: 500,
        nodeDeadlineMs: 500,
      },
    ],
  });
  for (const node of stack.dev.nodes)
    await stack.dev.client(node).call('ACL', 'SETUSER', 'narrow', 'on', '>narrow-pw', ...NARROW_MONITOR_RULES);
});
test.afterAll(async () => {
  await stack?.stop();
});

test('a least-privilege monitor user sees every node, and the refused features are named in place', async ({
  page,
}) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/narrow`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(cluster.nodeRows).toHaveCount(6);
  await expect(page.locator('[data-testid="node-row"][data-reachable="true"]')).toHaveCount(6);
  await expect(cluster.slotMap).toHaveAttribute('data-uncovered', '0');
  await expect(cluster.finding('commands_refused')).toContainText('not permitted for user narrow: config|get');
  await expect(cluster.finding('unreachable_from_dashboard')).toHaveCount(0);
  const master = stack.dev.masters[0];
  if (!master) throw new Error('no master');
  await page.goto(`${stack.baseURL}/clusters/narrow/nodes/${master.id}`);
  await expect(page.getByTestId('node-refused')).toContainText('not permitted for user narrow: config|get');
  await expect(page.getByTestId('node-config-missing')).toContainText('not permitted for user narrow: config|get');
  await expect(page.getByTestId('node-links')).toContainText('not permitted for user narrow: cluster|links');
  await page.screenshot({ path: test.info().outputPath('least-privilege-node.png'), fullPage: true });
  // LATENCY is allowed, CONFIG GET is not: the latency monitor's state is unknown, and says why (never "off").
  await page.goto(`${stack.baseURL}/clusters/narrow/trends`);
  const monitors = page.getByTestId('latency-monitor');
  await expect(monitors).toHaveCount(6);
  for (const monitor of await monitors.all()) {
    await expect(monitor).toHaveAttribute('data-state', 'unknown');
    await expect(monitor).toContainText('threshold not readable: not permitted for user narrow: config|get');
  }
});
