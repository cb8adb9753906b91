// A Sentinel deployment's trends and its answer on the cluster-only pages, real processes (redis-server,
// redis-sentinel, HAProxy on three loopback hosts, A's harness) beside the stack's cluster; and what a kiosk screen
// gets of it: the wall tile, and the wall's form of /snapshot whatever it asks for.
import path from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type SentinelGroup, startSentinelGroup } from '../scripts/sentinelgroup/sentinelGroup';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

const DEPLOYMENT = { id: 'sentinel-trends-e2e', name: 'E2E Sentinel trends' } as const;

let group: SentinelGroup;
let stack: Stack;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  group = await startSentinelGroup({ ...DEPLOYMENT });
  try {
    stack = await startStack({ extraClusters: () => [group.configEntry({ pollIntervalMs: 500 })] });
  } catch (err) {
    await group.stop();
    throw err;
  }
});
test.afterAll(async () => {
  await stack?.stop();
  await group?.stop();
});

async function viewerPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await loginAs(page.request, stack, 'viewer');
  return page;
}

const dataNodes = () => [
  { addr: group.master.addr, role: 'master' },
  ...group.replicas.map((r) => ({ addr: r.addr, role: 'replica' })),
];

test('the Trends page of a Sentinel deployment draws memory, commands, clients and round-trip charts for the master and both replicas, and nothing cluster-only', async ({
  browser,
}) => {
  const page = await viewerPage(browser);
  const asked: string[] = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${stack.baseURL}/clusters/${DEPLOYMENT.id}`);
  await page.getByTestId('trends-link').click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${DEPLOYMENT.id}/trends$`));
  await expect(page.getByTestId('sentinel-trends')).toBeVisible();
  for (const metric of ['used_memory', 'ops_per_sec', 'connected_clients', 'ping_ms']) {
    const section = page.locator(`[data-testid="node-multiples"][data-metric="${metric}"]`);
    await expect(section.getByTestId('node-chart')).toHaveCount(3);
    for (const { addr, role } of dataNodes()) {
      const chart = section.locator(`[data-testid="node-chart"][data-node-id="${addr}"]`);
      await expect(chart.locator('figcaption')).toHaveText(new RegExp(`^${addr.replaceAll('.', '\\.')} ${role}$`));
      // A drawn line of at least two samples (a path with a line segment), not an empty frame: within the history's
      // 2 s refetch after a few 500 ms polls.
      await expect(chart.locator('path.recharts-line-curve')).toHaveAttribute('d', /L/, { timeout: 15_000 });
    }
  }
  // The master first, as on the deployment page.
  await expect(
    page.locator('[data-testid="node-multiples"][data-metric="used_memory"] [data-testid="node-chart"]').first(),
  ).toHaveAttribute('data-node-id', group.master.addr);
  await page.screenshot({ path: path.resolve('test-results/screens/1400x900/sentinel-trends.png'), fullPage: true });
  // Cluster-only charts are left out rather than drawn empty, and the cluster-only /latency is not asked.
  await expect(page.getByRole('region', { name: 'Cluster totals' })).toHaveCount(0);
  await expect(page.getByTestId('latency-table')).toHaveCount(0);
  expect(asked.filter((p) => p.endsWith('/latency'))).toEqual([]);
  await page.context().close();
});

test('the cluster-only pages asked with a Sentinel id say what it is and link back to its page', async ({
  browser,
}) => {
  const page = await viewerPage(browser);
  for (const sub of ['config', `nodes/${encodeURIComponent(group.master.addr)}`, 'nodes/0123456789abcdef']) {
    const response = await page.goto(`${stack.baseURL}/clusters/${DEPLOYMENT.id}/${sub}`);
    expect(response?.status(), sub).toBe(200);
    const answer = page.getByTestId('cluster-only-page');
    await expect(answer.getByRole('heading', { level: 1 })).toHaveText(
      `${DEPLOYMENT.name} is a Sentinel deployment: this page is for clusters`,
    );
  }
  await page.getByTestId('deployment-page-link').click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${DEPLOYMENT.id}$`));
  await expect(page.getByTestId('sentinel-deployment')).toBeVisible();
  // The cluster's own pages are untouched.
  await page.goto(`${stack.baseURL}/clusters/${encodeURIComponent(stack.clusterId)}/config`);
  await expect(page.getByTestId('cluster-only-page')).toHaveCount(0);
  await page.context().close();
});

test('a kiosk screen sees the Sentinel wall tile and gets only the wall form of its /snapshot', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const page = await context.newPage();
    await page.goto(`${stack.baseURL}/wall?kiosk=${encodeURIComponent(stack.kioskToken)}`);
    const tile = page.locator(`[data-testid="wall-tile"][data-cluster-id="${DEPLOYMENT.id}"]`);
    await expect(tile).toHaveAttribute('data-kind', 'sentinel');
    await expect(tile).toHaveAttribute('data-health', /^(ok|degraded)$/);
    await expect(tile.getByTestId('wall-data-node')).toHaveCount(3);
    for (const view of ['', '?view=full']) {
      const response = await page.request.get(`${stack.baseURL}/api/clusters/${DEPLOYMENT.id}/snapshot${view}`);
      expect(response.status(), view).toBe(200);
      const body = (await response.json()) as Record<string, unknown>;
      expect(body.kind).toBe('sentinel');
      expect(body.sentinelsTotal).toBe(3);
      // Nothing of the full form: no sentinels' answers, no master/replica records, no HAProxy rows.
      for (const key of ['sentinels', 'master', 'replicas', 'haproxy', 'masterName'])
        expect(Object.keys(body), `${view} ${key}`).not.toContain(key);
      const nodes = body.nodes as Array<Record<string, unknown>>;
      expect(nodes.map((n) => n.addr).sort()).toEqual(
        dataNodes()
          .map((n) => n.addr)
          .sort(),
      );
      for (const node of nodes) expect(Object.keys(node).sort()).toEqual(['addr', 'role', 'state']);
    }
    // And no way round the wall: the trends' series and the deployment's pages are a viewer's.
    const history = await page.request.get(`${stack.baseURL}/api/clusters/${DEPLOYMENT.id}/history`);
    expect(history.status()).toBe(403);
  } finally {
    await context.close();
  }
});
