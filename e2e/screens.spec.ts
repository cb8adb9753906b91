// Every screen at a desk (1920×1080), on a laptop (1366×768) and on an unscaled 4K wall (3840×2160, device scale 1).
// The screenshots are kept under test-results/screens/<size>/ for people to look at; the layout rules are asserted.
import path from 'node:path';
import { type Browser, expect, type Page, test } from '@playwright/test';
import { fontSizeAndHeight, hiddenActions } from './support/layout';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

const SIZES = [
  { name: '1920x1080', width: 1920, height: 1080 },
  { name: '1366x768', width: 1366, height: 768 },
  { name: '3840x2160', width: 3840, height: 2160 },
] as const;

const SCREENS_DIR = path.resolve('test-results/screens');

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

async function operatorPage(browser: Browser, width: number, height: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  await loginAs(page.request, stack, 'operator');
  return page;
}

async function shot(page: Page, size: string, name: string) {
  await page.screenshot({ path: path.join(SCREENS_DIR, size, `${name}.png`) });
}

for (const size of SIZES) {
  test(`screens at ${size.name}`, async ({ browser }) => {
    const page = await operatorPage(browser, size.width, size.height);
    const base = `${stack.baseURL}/clusters/${stack.clusterId}`;
    const problems: string[] = [];
    const check = async (screen: string) => {
      if (size.width === 1366) for (const p of await hiddenActions(page)) problems.push(`${screen}: ${p}`);
    };

    await page.goto(base);
    await expect(page.getByTestId('cluster-health')).toHaveAttribute('data-health', 'ok');
    await expect(page.getByTestId('shard')).toHaveCount(3);
    if (size.width === 1920) {
      const map = await page.getByTestId('slot-map').boundingBox();
      expect(map?.height ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(180);
    }
    await shot(page, size.name, 'cluster');
    await check('cluster page');

    await page.getByTestId('failover-replica').first().click();
    const wizard = page.getByTestId('failover-wizard');
    await expect(wizard).toBeVisible();
    await expect(wizard).toBeInViewport();
    await expect(wizard.getByTestId('failover-checks')).toBeVisible();
    await shot(page, size.name, 'wizard');
    await check('failover wizard');

    await page.goto(`${base}/trends`);
    await expect(page.locator('.recharts-surface').first()).toBeVisible();
    await shot(page, size.name, 'trends');
    await check('trends');

    const master = stack.dev.nodes.find((n) => n.role === 'master');
    await page.goto(`${base}/nodes/${master?.id}`);
    await expect(page.getByTestId('node-summary')).toBeVisible();
    await shot(page, size.name, 'node');
    await check('node page');

    await page.goto(`${stack.baseURL}/`);
    await expect(page.getByTestId('cluster-card').first()).toHaveAttribute('data-health', 'ok');
    await shot(page, size.name, 'overview');
    await check('overview');

    await page.goto(`${stack.baseURL}/wall`);
    const tile = page.getByTestId('wall-tile').first();
    await expect(tile).toHaveAttribute('data-health', 'ok');
    await expect(page.locator('header nav')).toHaveCount(0);
    if (size.width !== 1366) {
      const { fontPx, boxPx } = await fontSizeAndHeight(tile.getByTestId('wall-headline'), tile);
      expect(fontPx, `wall headline ${fontPx}px in a ${boxPx}px tile`).toBeGreaterThanOrEqual(0.08 * boxPx);
    }
    const scroll = await page.evaluate(() => ({
      x: document.documentElement.scrollWidth - window.innerWidth,
      y: document.documentElement.scrollHeight - window.innerHeight,
    }));
    expect(scroll.x).toBeLessThanOrEqual(0);
    expect(scroll.y).toBeLessThanOrEqual(0);
    await shot(page, size.name, 'wall');

    expect(problems, problems.join('\n')).toEqual([]);
    await page.context().close();
  });
}
