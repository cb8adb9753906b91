import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { spawnDashboard } from '../scripts/dashboardProcess';
import { loginAs, type ServerRun, type Stack, startServer, startStack, waitForHttp } from './support/stack';

test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  // A long cluster-node-timeout: a stopped master stays "does not answer" (no failover) for the whole test.
  stack = await startStack({ cluster: { nodeTimeoutMs: 15_000 } });
});
test.afterAll(async () => {
  await stack?.stop();
});

const SIZES = {
  hd: { width: 1920, height: 1080 },
  small: { width: 1366, height: 768 },
  uhd: { width: 3840, height: 2160 },
} as const;

/** What the lead's cross-screen test measures too: each tile's box, its health word's and smallest text's font size. */
async function measureTiles(page: Page) {
  return page.getByTestId('wall-tile').evaluateAll((tiles) =>
    tiles.map((tile) => {
      const box = tile.getBoundingClientRect();
      const headline = tile.querySelector('[data-testid="wall-headline"]');
      let smallest = Number.POSITIVE_INFINITY;
      const walker = document.createTreeWalker(tile, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || !node.textContent?.trim() || parent.closest('[aria-hidden="true"]')) continue;
        smallest = Math.min(smallest, Number.parseFloat(getComputedStyle(parent).fontSize));
      }
      return {
        id: tile.getAttribute('data-cluster-id'),
        x: box.x,
        y: box.y,
        width: box.width,
        height: box.height,
        headlinePx: headline ? Number.parseFloat(getComputedStyle(headline).fontSize) : 0,
        smallestPx: smallest,
        overflowing: headline ? headline.scrollWidth > headline.clientWidth + 1 : true,
      };
    }),
  );
}

async function expectNoChromeNoScroll(page: Page) {
  await expect(page.locator('header')).toHaveCount(0);
  await expect(page.locator('nav')).toHaveCount(0);
  await expect(page.getByTestId('whoami')).toHaveCount(0);
  const scroll = await page.evaluate(() => ({
    sw: document.documentElement.scrollWidth,
    cw: document.documentElement.clientWidth,
    sh: document.documentElement.scrollHeight,
    ch: document.documentElement.clientHeight,
  }));
  expect(scroll.sw, 'no horizontal scrollbar').toBeLessThanOrEqual(scroll.cw);
  expect(scroll.sh, 'no vertical scrollbar').toBeLessThanOrEqual(scroll.ch);
}

test('one cluster fills the wall: no header or nav, type scaled to the tile, counts as the cluster page, a clock', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await loginAs(page.request, stack, 'viewer');
  for (const [name, size] of Object.entries(SIZES)) {
    await page.setViewportSize(size);
    await page.goto(`${stack.baseURL}/wall`);
    const tile = page.getByTestId('wall-tile');
    await expect(tile).toHaveAttribute('data-health', 'ok');
    await expect(tile).toHaveAttribute('data-cluster-id', stack.clusterId);
    await expect(page.getByTestId('wall-headline')).toHaveText('OK');
    await expect(page.getByTestId('wall-masters')).toHaveText('3');
    await expect(page.getByTestId('wall-nodes-up')).toHaveText('6/6');
    await expect(page.getByTestId('wall-shards').getByTestId('wall-shard')).toHaveCount(3);
    await expect(page.locator('[data-testid="wall-shard"][data-state="up"]')).toHaveCount(3);
    await expect(page.getByTestId('wall-memory')).toHaveText('no maxmemory');
    await expect(page.getByTestId('wall-clock')).toHaveText(/^\d\d:\d\d:\d\d/);
    await expect(page.getByTestId('wall-freshness')).toHaveText(/^updated \d\d:\d\d:\d\d/);
    await expectNoChromeNoScroll(page);
    const [m] = await measureTiles(page);
    if (!m) throw new Error('no tile');
    // The tile is the screen: all its width, and all its height but the clock's strip.
    expect(m.width, name).toBeGreaterThan(size.width * 0.97);
    expect(m.height, name).toBeGreaterThan(size.height * 0.9);
    expect(m.headlinePx / m.height, `${name}: health word ≥ 8 % of the tile`).toBeGreaterThanOrEqual(0.08);
    expect(m.smallestPx / m.height, `${name}: every label ≥ 2 % of the tile`).toBeGreaterThanOrEqual(0.02);
    expect(m.overflowing, `${name}: health word fits`).toBe(false);
    await page.screenshot({ path: test.info().outputPath(`wall-1-${name}.png`) });
  }
  // No hydration mismatch (the clock renders in the browser only) and nothing else logged as an error.
  expect(errors).toEqual([]);
});

test('a kiosk screen shows the wall without the app header', async ({ browser }) => {
  const context = await browser.newContext({ viewport: SIZES.hd });
  try {
    const page = await context.newPage();
    await page.goto(`${stack.baseURL}/wall?kiosk=${encodeURIComponent(stack.kioskToken)}`);
    await expect(page.getByTestId('wall-tile')).toHaveAttribute('data-health', 'ok');
    await expectNoChromeNoScroll(page);
    // The other pages keep their header.
    await page.goto(`${stack.baseURL}/`);
    await expect(page.getByTestId('whoami')).toContainText('wall screen');
  } finally {
    await context.close();
  }
});

test('a stopped master turns the wall tile and the overview card DEGRADED naming its slots; SIGCONT brings OK back', async ({
  page,
  browser,
}) => {
  await loginAs(page.request, stack, 'viewer');
  await page.setViewportSize(SIZES.hd);
  await page.goto(`${stack.baseURL}/wall`);
  const overview = await browser.newPage({ viewport: SIZES.small });
  await loginAs(overview.request, stack, 'viewer');
  await overview.goto(`${stack.baseURL}/`);
  const tile = page.getByTestId('wall-tile');
  const card = overview.locator(`[data-testid="cluster-card"][data-cluster-id="${stack.clusterId}"]`);
  await expect(tile).toHaveAttribute('data-health', 'ok');
  await expect(card).toHaveAttribute('data-health', 'ok');
  await expect(card.getByTestId('cluster-card-headline')).toHaveText(/^OK — /);

  const master = stack.dev.masters[1];
  if (!master) throw new Error('no master');
  stack.dev.signal(master, 'SIGSTOP');
  try {
    // Within two polls (500 ms each) and a client refresh (1 s): never green while its slots hang.
    await expect(tile).toHaveAttribute('data-health', 'degraded', { timeout: 5_000 });
    await expect(page.getByTestId('wall-headline')).toHaveText('DEGRADED');
    await expect(page.getByTestId('wall-finding')).toContainText(/5,46\d slots \(33 %\)/);
    await expect(page.locator(`[data-testid="wall-shard"][data-master-id="${master.id}"]`)).toHaveAttribute(
      'data-state',
      'unreachable',
    );
    await expect(page.getByTestId('wall-nodes-up')).toHaveText('5/6');
    await expect(page.getByTestId('wall-masters')).toHaveText('3');
    await expect(card).toHaveAttribute('data-health', 'degraded', { timeout: 5_000 });
    await expect(card.getByTestId('cluster-card-headline')).toHaveText(/^DEGRADED — 5,46\d slots \(33 %\)/);
    await page.screenshot({ path: test.info().outputPath('wall-degraded-1920.png') });
    await overview.screenshot({ path: test.info().outputPath('overview-degraded-1366.png'), fullPage: true });
  } finally {
    stack.dev.signal(master, 'SIGCONT');
  }
  await expect(tile).toHaveAttribute('data-health', 'ok', { timeout: 15_000 });
  await expect(card).toHaveAttribute('data-health', 'ok', { timeout: 15_000 });
  await overview.close();
});

test.describe('several clusters', () => {
  let extra: ServerRun | undefined;
  let baseURL = '';

  test.beforeAll(async () => {
    // A second dashboard on a config of 7 clusters: the e2e cluster and six whose seeds refuse connections.
    const config = JSON.parse(await readFile(stack.configPath, 'utf8')) as { clusters: Array<Record<string, unknown>> };
    const main = config.clusters[0];
    if (!main) throw new Error('no cluster in the config');
    const gone = Array.from({ length: 6 }, (_, i) => ({
      id: `gone-${i + 1}`,
      name: `Gone ${i + 1}`,
      seeds: ['127.0.0.1:1'],
      pollIntervalMs: 1000,
      nodeDeadlineMs: 500,
    }));
    config.clusters = [main, ...gone];
    const configPath = path.join(stack.dir, 'wall-7.config.json');
    await writeFile(configPath, JSON.stringify(config));
    extra = await startServer(configPath, path.join(stack.dir, 'wall-7.log'), stack.env);
    baseURL = extra.baseURL;
    await waitForHttp(`${baseURL}/api/health`, (r) => r.status === 200);
  });
  test.afterAll(async () => {
    if (!extra) return;
    extra.child.kill('SIGTERM');
    await extra.exited;
  });

  test('seven clusters: pages of 4 and 3 tiles that fill the screen, turned on a timer', async ({ browser }) => {
    test.setTimeout(90_000);
    const context = await browser.newContext({ viewport: SIZES.hd });
    try {
      const page = await context.newPage();
      await loginAs(page.request, { ...stack, baseURL }, 'viewer');
      await page.goto(`${baseURL}/wall`);
      const tiles = page.getByTestId('wall-tile');
      await expect(tiles).toHaveCount(4);
      await expect(page.getByTestId('wall-page')).toHaveText('page 1 / 2');
      await expect(page.locator(`[data-testid="wall-tile"][data-cluster-id="${stack.clusterId}"]`)).toHaveAttribute(
        'data-health',
        'ok',
      );
      // No node answers: grey UNKNOWN, never green.
      await expect(page.locator('[data-testid="wall-tile"][data-cluster-id="gone-1"]')).toHaveAttribute(
        'data-health',
        'unknown',
      );
      await expect(page.getByTestId('health-tally')).toHaveText(/6 UNKNOWN · 1 OK/);
      for (const size of [SIZES.hd, SIZES.uhd, SIZES.small]) {
        await page.setViewportSize(size);
        await expectNoChromeNoScroll(page);
        const boxes = await measureTiles(page);
        for (const b of boxes) {
          // 2×2: each tile about half the screen each way.
          expect(b.width).toBeGreaterThan(size.width * 0.47);
          expect(b.height).toBeGreaterThan(size.height * 0.43);
          expect(b.headlinePx / b.height).toBeGreaterThanOrEqual(0.08);
          expect(b.smallestPx / b.height).toBeGreaterThanOrEqual(0.02);
          expect(b.overflowing).toBe(false);
        }
        const area = boxes.reduce((s, b) => s + b.width * b.height, 0);
        expect(area / (size.width * size.height)).toBeGreaterThan(0.85);
        await page.screenshot({ path: test.info().outputPath(`wall-7-page1-${size.width}.png`) });
      }
      await page.setViewportSize(SIZES.hd);
      // The next page comes up on its own: 3 tiles, the last one as wide as two.
      await expect(page.getByTestId('wall-page')).toHaveText('page 2 / 2', { timeout: 20_000 });
      await expect(tiles).toHaveCount(3);
      const boxes = await measureTiles(page);
      expect(boxes.map((b) => b.id)).toEqual(['gone-4', 'gone-5', 'gone-6']);
      expect(boxes[2]?.width).toBeGreaterThan(SIZES.hd.width * 0.97);
      await page.screenshot({ path: test.info().outputPath('wall-7-page2-1920.png') });
      // A portrait panel stacks three tiles, each the full width, none empty, type still to scale.
      await page.setViewportSize({ width: 1080, height: 1920 });
      await expectNoChromeNoScroll(page);
      for (const b of await measureTiles(page)) {
        expect(b.width).toBeGreaterThan(1080 * 0.97);
        expect(b.height).toBeGreaterThan(1920 * 0.28);
        expect(b.headlinePx / b.height).toBeGreaterThanOrEqual(0.08);
        expect(b.smallestPx / b.height).toBeGreaterThanOrEqual(0.02);
        expect(b.overflowing).toBe(false);
      }
      await page.screenshot({ path: test.info().outputPath('wall-7-page2-portrait.png') });

      // The overview: one card each, the same health as the wall's tiles.
      await page.goto(`${baseURL}/`);
      await expect(page.getByTestId('cluster-card')).toHaveCount(7);
      await expect(page.locator('[data-testid="cluster-card"][data-health="unknown"]')).toHaveCount(6);
      await expect(page.locator(`[data-testid="cluster-card"][data-cluster-id="${stack.clusterId}"]`)).toHaveAttribute(
        'data-health',
        'ok',
      );
      await expect(page.locator('[data-testid="cluster-card"][data-cluster-id="gone-1"]')).toContainText(
        'No node of this cluster answers',
      );
      for (const size of [SIZES.hd, SIZES.small, SIZES.uhd]) {
        await page.setViewportSize(size);
        await page.screenshot({ path: test.info().outputPath(`overview-7-${size.width}.png`), fullPage: true });
      }
    } finally {
      await context.close();
    }
  });
});

test('the wall goes grey STALE when the server stops, and comes back on its own when it answers again', async ({
  page,
}) => {
  await loginAs(page.request, stack, 'viewer');
  await page.setViewportSize(SIZES.hd);
  await page.goto(`${stack.baseURL}/wall`);
  const tile = page.getByTestId('wall-tile');
  await expect(tile).toHaveAttribute('data-health', 'ok');
  await stack.stopServer();
  await expect(tile).toHaveAttribute('data-health', 'unknown', { timeout: 15_000 });
  await expect(page.getByTestId('wall-freshness')).toHaveText(/^STALE since \d\d:\d\d:\d\d/);
  await expect(page.getByTestId('wall-headline')).toHaveText('UNKNOWN');
  // Nothing on the stale tile is drawn in the ok green: not the frame, not an old "up".
  const okGreen = await page.evaluate(() => {
    const probe = document.createElement('span');
    probe.className = 'text-ok';
    document.body.append(probe);
    const colour = getComputedStyle(probe).color;
    probe.remove();
    return colour;
  });
  const green = await tile.evaluate(
    (el, ok) =>
      [el, ...el.querySelectorAll('*')].filter((e) => {
        const style = getComputedStyle(e);
        return style.color === ok || style.borderTopColor === ok || style.backgroundColor === ok;
      }).length,
    okGreen,
  );
  expect(okGreen).toBe('rgb(47, 191, 113)');
  expect(green).toBe(0);
  await page.screenshot({ path: test.info().outputPath('wall-stale-1920.png') });
  // The same address again (a restarted server): no reload, the wall picks it up.
  const again = spawnDashboard({
    configPath: stack.configPath,
    port: Number(new URL(stack.baseURL).port),
    env: stack.env,
    stdio: 'ignore',
  });
  try {
    await expect(tile).toHaveAttribute('data-health', 'ok', { timeout: 30_000 });
    await expect(page.getByTestId('wall-freshness')).toHaveText(/^updated /);
  } finally {
    again.child.kill('SIGTERM');
    await again.exited;
  }
});
