// A master hung by SIGSTOP: Redis's cluster_state stays ok (the cluster has not even marked it PFAIL: node timeout
// 30 s here), yet every screen must lead with DEGRADED and name the slots within two polls, and go back to OK on SIGCONT.
import { expect, type Page, test } from '@playwright/test';
import type { DevNode } from '../scripts/devcluster/cluster';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

const POLL_MS = 1000;
const DEADLINE_MS = 500;
// Two polls after the stop (the first may have just begun), each up to its deadline, plus the push to the page.
const TWO_POLLS_MS = 2 * POLL_MS + DEADLINE_MS + 1500;

let stack: Stack;
let stopped: DevNode | undefined;

test.beforeAll(async () => {
  stack = await startStack({
    cluster: { nodeTimeoutMs: 30_000 },
    pollIntervalMs: POLL_MS,
    clusterConfig: { nodeDeadlineMs: DEADLINE_MS },
  });
});
test.afterAll(async () => {
  if (stopped) stack?.dev.signal(stopped, 'SIGCONT');
  await stack?.stop();
});

async function open(page: Page, path: string) {
  await loginAs(page.request, stack, 'viewer');
  await page.goto(`${stack.baseURL}${path}`);
}

test('SIGSTOP a master: banner, wall tile and overview card say DEGRADED with its slots, the map overlays them; SIGCONT: OK', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const [clusterTab, wallTab, overviewTab] = await Promise.all([
    context.newPage(),
    context.newPage(),
    context.newPage(),
  ]);
  await open(clusterTab, `/clusters/${stack.clusterId}`);
  await open(wallTab, '/wall');
  await open(overviewTab, '/');
  const cluster = new ClusterPage(clusterTab);
  const banner = clusterTab.getByTestId('cluster-health');
  const tile = wallTab.locator(`[data-testid="wall-tile"][data-cluster-id="${stack.clusterId}"]`);
  const card = overviewTab.locator(`[data-testid="cluster-card"][data-cluster-id="${stack.clusterId}"]`);
  await expect(banner).toHaveAttribute('data-health', 'ok');
  await expect(tile).toHaveAttribute('data-health', 'ok');
  await expect(card).toHaveAttribute('data-health', 'ok');
  await expect(cluster.slotMap).toHaveAttribute('data-overlay-warning', '0');

  const master = stack.dev.nodes.find((n) => n.role === 'master');
  if (!master) throw new Error('no master in the dev cluster');
  const snapshot = (await (
    await clusterTab.request.get(`${stack.baseURL}/api/clusters/${stack.clusterId}/snapshot`)
  ).json()) as { nodes: Array<{ id: string; slotCount: number }> };
  const slots = snapshot.nodes.find((n) => n.id === master.id)?.slotCount ?? 0;
  expect(slots).toBeGreaterThan(0);
  const slotWords = `${slots.toLocaleString('en-US')} slots`;
  stopped = master;
  stack.dev.signal(master, 'SIGSTOP');

  await Promise.all([
    expect(banner).toHaveAttribute('data-health', 'degraded', { timeout: TWO_POLLS_MS }),
    expect(tile).toHaveAttribute('data-health', 'degraded', { timeout: TWO_POLLS_MS }),
    expect(card).toHaveAttribute('data-health', 'degraded', { timeout: TWO_POLLS_MS }),
  ]);
  // Redis still says ok: the health does not wait for it.
  await expect(cluster.state).toHaveAttribute('data-state', 'ok');
  await expect(clusterTab.getByTestId('health-headline')).toContainText(slotWords);
  await expect(clusterTab.getByTestId('health-headline')).toContainText('does not answer');
  await expect(tile.getByTestId('wall-headline')).toContainText('DEGRADED');
  await expect(tile).toContainText(slotWords);
  await expect(card.getByTestId('cluster-card-headline')).toContainText(slotWords);
  await expect(cluster.slotMap).toHaveAttribute('data-overlay-warning', String(slots));
  await expect(clusterTab).toHaveTitle(/^DEGRADED/);
  // The advice names a hung node, not the network path.
  await expect(cluster.finding('unreachable_from_dashboard')).toContainText('does not reply');
  await Promise.all([
    clusterTab.screenshot({ path: test.info().outputPath('cluster-degraded.png') }),
    wallTab.screenshot({ path: test.info().outputPath('wall-degraded.png') }),
  ]);

  stack.dev.signal(master, 'SIGCONT');
  stopped = undefined;
  await Promise.all([
    expect(banner).toHaveAttribute('data-health', 'ok', { timeout: TWO_POLLS_MS + 5000 }),
    expect(tile).toHaveAttribute('data-health', 'ok', { timeout: TWO_POLLS_MS + 5000 }),
    expect(card).toHaveAttribute('data-health', 'ok', { timeout: TWO_POLLS_MS + 5000 }),
  ]);
  await expect(cluster.slotMap).toHaveAttribute('data-overlay-warning', '0');
  await context.close();
});
