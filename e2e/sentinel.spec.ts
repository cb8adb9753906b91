// A Sentinel deployment beside the stack's cluster, real processes (redis-server, redis-sentinel, HAProxy) on three
// loopback hosts: its page, its wall tile, the failover refused to a viewer, the screens at a laptop and on a 4K wall,
// and a master SIGSTOPped until the sentinels' own failover, as the page and the tile tell it.
import path from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { type SentinelGroup, startSentinelGroup } from '../scripts/sentinelgroup/sentinelGroup';
import { SentinelPage } from './pages/SentinelPage';
import { fontSizeAndHeight, hiddenActions } from './support/layout';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

const DEPLOYMENT = { id: 'sentinel-e2e', name: 'E2E Sentinel' } as const;

let group: SentinelGroup;
let stack: Stack;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // min-replicas-to-write on every data node, so the deployment starts with nothing to report (the finding for a
  // master without it is a warning of its own) and the master's stop is what turns it red. Every command in the slow
  // log, so the page's merged slow log has rows to show.
  group = await startSentinelGroup({
    ...DEPLOYMENT,
    extraConfig: { 'min-replicas-to-write': '1', 'min-replicas-max-lag': '10', 'slowlog-log-slower-than': '0' },
  });
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

async function viewerPage(browser: Browser, width = 1400, height = 900): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await loginAs(page.request, stack, 'viewer');
  return page;
}

const tileOf = (page: Page) => page.locator(`[data-testid="wall-tile"][data-cluster-id="${DEPLOYMENT.id}"]`);

test('the deployment page shows the master, both replicas, the three sentinels and the master each believes, and HAProxy per node', async ({
  browser,
}) => {
  const page = await viewerPage(browser);
  const deployment = new SentinelPage(page);
  await deployment.goto(stack.baseURL, DEPLOYMENT.id);
  await expect(deployment.health).toHaveAttribute('data-health', 'ok');
  await expect(deployment.master).toHaveAttribute('data-addr', group.master.addr);
  await expect(deployment.master).toHaveAttribute('data-role', 'master');
  await expect(deployment.replicas).toHaveCount(2);
  for (const replica of group.replicas)
    await expect(page.locator(`[data-testid="sentinel-replica"][data-addr="${replica.addr}"]`)).toBeVisible();
  await expect(page.getByTestId('replica-lag')).toHaveText([/B\s*last ack \d+ s ago$/, /B\s*last ack \d+ s ago$/]);
  await expect(deployment.sentinels).toHaveCount(3);
  for (const addr of group.sentinelAddrs) {
    await expect(deployment.sentinelAt(addr)).toHaveAttribute('data-master', group.master.addr);
    await expect(deployment.sentinelAt(addr)).toHaveAttribute('data-disagrees', 'false');
  }
  await expect(deployment.agreement).toHaveAttribute('data-agreed', 'true');
  await expect(deployment.haproxyServers).toHaveCount(3);
  const routed = page.locator('[data-testid="haproxy-server"][data-routed="true"]');
  await expect(routed).toHaveCount(1);
  await expect(routed).toHaveAttribute('data-addr', group.master.addr);
  await expect(routed).toHaveAttribute('data-status', /^UP/);
  await expect(page.getByTestId('deployment-hosts').getByTestId('deployment-host')).toHaveCount(3);
  await expect(page.getByTestId('slowlog-row').first()).toBeVisible();
  await page.context().close();
});

test('the overview and the wall show the deployment beside the cluster, saying which is which, with its counts', async ({
  browser,
}) => {
  const page = await viewerPage(browser);
  await page.goto(`${stack.baseURL}/`);
  const card = page.locator(`[data-testid="cluster-card"][data-cluster-id="${DEPLOYMENT.id}"]`);
  await expect(card).toHaveAttribute('data-kind', 'sentinel');
  await expect(card).toHaveAttribute('data-health', 'ok');
  await expect(card.getByTestId('cluster-card-kind')).toHaveText('Sentinel deployment');
  const clusterCard = page.locator(`[data-testid="cluster-card"][data-cluster-id="${stack.clusterId}"]`);
  await expect(clusterCard.getByTestId('cluster-card-kind')).toHaveText('Redis Cluster');
  await page.screenshot({ path: path.resolve('test-results/screens/1400x900/sentinel-overview.png'), fullPage: true });
  await card.click();
  await expect(page).toHaveURL(new RegExp(`/clusters/${DEPLOYMENT.id}$`));
  await expect(page.getByTestId('sentinel-deployment')).toBeVisible();

  await page.goto(`${stack.baseURL}/wall`);
  const tile = tileOf(page);
  await expect(tile).toHaveAttribute('data-health', 'ok');
  await expect(tile).toHaveAttribute('data-kind', 'sentinel');
  await expect(tile.getByTestId('wall-nodes-up')).toHaveText('3/3');
  await expect(tile.getByTestId('wall-sentinels-up')).toHaveText('3/3');
  await expect(tile.getByTestId('wall-haproxy')).toHaveText('OK');
  await expect(tile.getByTestId('wall-data-node')).toHaveCount(3);
  await expect(tile.locator('[data-testid="wall-data-node"][data-role="master"]')).toHaveCount(1);
  await expect(page.locator(`[data-testid="wall-tile"][data-cluster-id="${stack.clusterId}"]`)).toHaveAttribute(
    'data-kind',
    'cluster',
  );
  await page.context().close();
});

test('a viewer cannot start the Sentinel failover: 403 from the route, and no start button on the page', async ({
  browser,
}) => {
  const page = await viewerPage(browser);
  const response = await page.request.post(`${stack.baseURL}/api/clusters/${DEPLOYMENT.id}/sentinel-failover`, {
    data: { confirm: DEPLOYMENT.name },
    headers: { origin: stack.baseURL },
  });
  expect(response.status()).toBe(403);
  await new SentinelPage(page).goto(stack.baseURL, DEPLOYMENT.id);
  await expect(page.getByTestId('sentinel-master')).toBeVisible();
  await expect(page.getByTestId('sentinel-failover-forbidden')).toContainText('needs the operator role');
  await expect(page.getByRole('button', { name: /start|fail ?over/i })).toHaveCount(0);
  await page.context().close();
});

for (const size of [
  { name: '1366x768', width: 1366, height: 768 },
  { name: '3840x2160', width: 3840, height: 2160 },
] as const) {
  test(`screens at ${size.name}: the page without sideways scrolling, the wall without scrolling`, async ({
    browser,
  }) => {
    const page = await viewerPage(browser, size.width, size.height);
    await new SentinelPage(page).goto(stack.baseURL, DEPLOYMENT.id);
    await expect(page.getByTestId('cluster-health')).toHaveAttribute('data-health', 'ok');
    await expect(page.getByTestId('haproxy-server')).toHaveCount(3);
    await page.screenshot({ path: path.resolve('test-results/screens', size.name, 'sentinel.png'), fullPage: true });
    expect(await hiddenActions(page)).toEqual([]);

    await page.goto(`${stack.baseURL}/wall`);
    const tile = tileOf(page);
    await expect(tile).toHaveAttribute('data-health', 'ok');
    const { fontPx, boxPx } = await fontSizeAndHeight(tile.getByTestId('wall-headline'), tile);
    expect(fontPx, `wall headline ${fontPx}px in a ${boxPx}px tile`).toBeGreaterThanOrEqual(0.08 * boxPx);
    const clipped = await tile.evaluate((el) =>
      [...el.querySelectorAll<HTMLElement>('[data-testid^="wall-"]')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).textOverflow !== 'ellipsis')
        .map((e) => e.dataset.testid),
    );
    expect(clipped).toEqual([]);
    const scroll = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(scroll).toEqual({ x: 0, y: 0 });
    await page.screenshot({ path: path.resolve('test-results/screens', size.name, 'sentinel-wall.png') });
    await page.context().close();
  });
}

test('a replica that answers role:master after REPLICAOF NO ONE: HAProxy routes to two nodes, the page says which is wrong', async ({
  browser,
}) => {
  const page = await viewerPage(browser);
  await new SentinelPage(page).goto(stack.baseURL, DEPLOYMENT.id);
  await expect(page.getByTestId('cluster-health')).toHaveAttribute('data-health', 'ok');
  const rogue = group.replicas[1];
  if (!rogue) throw new Error('the group has no second replica');
  await group.client(rogue.addr).call('REPLICAOF', 'NO', 'ONE');
  try {
    // Until the sentinels convert it back (seconds): read the page in one go while HAProxy's check passes on both.
    await expect
      .poll(
        () =>
          page.evaluate((addr) => {
            const row = document.querySelector(`[data-testid="haproxy-server"][data-addr="${addr}"]`);
            return [
              document.querySelector('[data-testid="cluster-health"]')?.getAttribute('data-health'),
              document.querySelector('[data-testid="haproxy-routing"]')?.getAttribute('data-agrees'),
              row?.getAttribute('data-routed'),
              row?.getAttribute('data-wrong-route'),
              document.querySelector('[data-testid="deployment-haproxy"]')?.textContent,
            ].join(' | ');
          }, rogue.addr),
        { timeout: 20_000, intervals: [100] },
      )
      .toMatch(/^(degraded|down) \| false \| true \| true \| routes to 2 nodes$/);
    await page.screenshot({ path: path.resolve('test-results/screens/1400x900/sentinel-haproxy-two-masters.png') });
  } finally {
    await group.client(rogue.addr).call('REPLICAOF', group.master.host, String(group.master.port));
  }
  await expect(page.getByTestId('cluster-health')).toHaveAttribute('data-health', 'ok', { timeout: 60_000 });
  await page.context().close();
});

test("a SIGSTOPped master turns the page and the tile red, then the page shows the sentinels' new master", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const page = await viewerPage(browser);
  const deployment = new SentinelPage(page);
  await deployment.goto(stack.baseURL, DEPLOYMENT.id);
  await expect(deployment.health).toHaveAttribute('data-health', 'ok');
  // An operator has typed the name while the plan promised zero loss (T2#3): when the master stops answering, the
  // verdict changes under the typed confirmation, which is cleared with a word.
  const operatorContext = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const operator = await operatorContext.newPage();
  await loginAs(operator.request, stack, 'operator');
  await operator.goto(`${stack.baseURL}/clusters/${DEPLOYMENT.id}`);
  await operator.getByTestId('sentinel-failover-open').click();
  await operator.getByTestId('sentinel-failover-confirm').fill(DEPLOYMENT.name);
  const old = group.master.addr;
  group.pause(old);
  try {
    // As the findings say: the health not OK with a critical finding listed, read in one go (the critical window
    // before the sentinels' failover lasts only seconds; after it, the paused old master is a warning).
    await expect
      .poll(
        () =>
          page.evaluate(() => {
            const banner = document.querySelector('[data-testid="cluster-health"]');
            const count = document.querySelector('[data-testid="critical-count"]')?.getAttribute('data-count');
            const listed = document.querySelectorAll('[data-testid="finding"][data-severity="critical"]').length;
            return `${banner?.getAttribute('data-health')} ${count} ${listed}`;
          }),
        { timeout: 20_000, intervals: [100] },
      )
      .toMatch(/^(degraded|down) [1-9]\d* [1-9]/);

    const wall = await viewerPage(browser);
    await wall.goto(`${stack.baseURL}/wall`);
    await expect(tileOf(wall)).toHaveAttribute('data-health', /degraded|down/, { timeout: 20_000 });
    await wall.screenshot({ path: path.resolve('test-results/screens/1400x900/sentinel-wall-master-stopped.png') });
    await wall.context().close();
    // Checked after the short critical window above: the plan's verdict has changed by now (the master stopped
    // answering, then the sentinels' own failover), and the name typed before it is gone, with a word.
    await expect(operator.getByTestId('sentinel-failover-plan-changed')).toBeVisible({ timeout: 30_000 });
    await expect(operator.getByTestId('sentinel-failover-confirm')).toHaveValue('');
    await operatorContext.close();

    // down-after 2 s, then the vote and the promotion: the sentinels' own failover, however long it takes here.
    await expect(deployment.deployment).not.toHaveAttribute('data-master', old, { timeout: 60_000 });
    const promoted = await deployment.deployment.getAttribute('data-master');
    await page.screenshot({
      path: path.resolve('test-results/screens/1400x900/sentinel-after-failover.png'),
      fullPage: true,
    });
    expect(group.replicas.map((r) => r.addr)).toContain(promoted);
    await expect(deployment.master).toHaveAttribute('data-addr', promoted ?? '');
    await expect(deployment.master).toHaveAttribute('data-role', 'master', { timeout: 20_000 });
    for (const addr of group.sentinelAddrs)
      await expect(deployment.sentinelAt(addr)).toHaveAttribute('data-master', promoted ?? '', { timeout: 20_000 });
    // The sentinels' own failover leaves a trace: a note near the banner and an entry in the master changes (T#6).
    const changed = page.getByTestId('master-changed');
    await expect(changed).toHaveAttribute('data-from', old);
    await expect(changed).toHaveAttribute('data-to', promoted ?? '');
    await expect(changed).toContainText(`from ${old} to ${promoted} at`);
    await expect(changed).toContainText('the sentinels’ own failover');
    await expect(page.getByTestId('master-change').first()).toContainText(`${old} → ${promoted}`);
  } finally {
    group.resume(old);
  }
  await page.context().close();
});

test('HAProxy stopped after answering: a critical "stopped answering" finding, DOWN, the routing UNKNOWN, never "routes to 0 servers"', async ({
  browser,
}) => {
  const haproxy = group.haproxy;
  if (!haproxy) throw new Error('the group has no HAProxy');
  const page = await viewerPage(browser);
  await new SentinelPage(page).goto(stack.baseURL, DEPLOYMENT.id);
  await expect(page.getByTestId('haproxy-routing')).toHaveAttribute('data-agrees', 'true', { timeout: 20_000 });
  await haproxy.stop();
  const finding = page.locator('[data-testid="finding"][data-code="haproxy_not_answering"]');
  await expect(finding).toHaveAttribute('data-severity', 'critical', { timeout: 20_000 });
  await expect(finding).toContainText(
    /HAProxy stopped answering at \d\d:\d\d:\d\d UTC \(E[A-Z]+\): it is probably not running/,
  );
  // Worst first: the critical finding leads the list, and the health says DOWN naming it.
  await expect(page.getByTestId('finding').first()).toHaveAttribute('data-code', 'haproxy_not_answering');
  await expect(page.getByTestId('cluster-health')).toHaveAttribute('data-health', 'down');
  await expect(page.getByTestId('health-headline')).toContainText('HAProxy stopped answering');
  await expect(page.getByTestId('haproxy-routing')).toHaveAttribute('data-agrees', 'unknown');
  await expect(page.getByTestId('haproxy-routing')).toHaveText(/routing UNKNOWN/);
  await expect(page.getByText(/routes to 0 servers/)).toHaveCount(0);
  await expect(page.getByTestId('haproxy-unreachable')).toContainText('could not read the stats socket');
  // The last known table, greyed, with the time it was read.
  await expect(page.getByTestId('haproxy')).toHaveAttribute('data-last-known', 'true');
  await expect(page.getByTestId('haproxy-server')).toHaveCount(3);
  await expect(page.getByTestId('haproxy-last-known')).toContainText('last answer, read at');
  await page.screenshot({ path: path.resolve('test-results/screens/1400x900/sentinel-haproxy-stopped.png') });
  await page.context().close();
});

test('when the data stops, the page and the tile turn grey: STALE, UNKNOWN, no green left', async ({ browser }) => {
  const page = await viewerPage(browser);
  await new SentinelPage(page).goto(stack.baseURL, DEPLOYMENT.id);
  await expect(page.getByTestId('sentinel-master')).toBeVisible();
  const wall = await viewerPage(browser);
  await wall.goto(`${stack.baseURL}/wall`);
  await expect(tileOf(wall)).toHaveAttribute('data-freshness', /fresh|lagging/);
  // An operator with the failover panel open and the name typed: on stale data Start holds, saying why.
  const operator = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await loginAs(operator.request, stack, 'operator');
  await new SentinelPage(operator).goto(stack.baseURL, DEPLOYMENT.id);
  await operator.getByTestId('sentinel-failover-open').click();
  await operator.getByTestId('sentinel-failover-confirm').fill(DEPLOYMENT.name);
  await expect(operator.getByTestId('sentinel-failover-plan')).toHaveAttribute('data-stale', 'false');
  await stack.stopServer();
  await expect(page.getByTestId('freshness')).toHaveAttribute('data-freshness', 'stale', { timeout: 20_000 });
  await expect(page.getByTestId('cluster-health')).toHaveAttribute('data-health', 'unknown');
  await expect(page.getByTestId('health-headline')).toContainText('no fresh data');
  for (const testId of ['node-state', 'haproxy-server', 'sentinel-agreement'])
    await expect(page.locator(`[data-testid="${testId}"].text-ok, [data-testid="${testId}"] .text-ok`)).toHaveCount(0);
  await expect(tileOf(wall)).toHaveAttribute('data-freshness', 'stale', { timeout: 20_000 });
  await expect(tileOf(wall)).toHaveAttribute('data-health', 'unknown');
  await expect(tileOf(wall).locator('.text-ok')).toHaveCount(0);
  await expect(operator.getByTestId('sentinel-failover-plan')).toHaveAttribute('data-stale', 'true', {
    timeout: 20_000,
  });
  await expect(operator.getByTestId('sentinel-failover-stale')).toContainText(
    /the data is \d+ s old; wait for a fresh poll/,
  );
  await expect(operator.getByTestId('sentinel-failover-start')).toBeDisabled();
  await page.context().close();
  await wall.context().close();
  await operator.context().close();
});
