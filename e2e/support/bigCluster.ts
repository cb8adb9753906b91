// The cluster page's interactions on a big (simulated) cluster, timed by the page itself: a performance mark when the
// handler runs and a measure after the next paint (lib/client/interactionTiming.ts). Shared by e2e/scale.spec.ts and
// npm run bench:scale-ui; plain Playwright calls (no test runner needed).
import type { Page } from '@playwright/test';
import type { SimNodeInfo } from '../../scripts/simcluster/index';
import { ClusterPage } from '../pages/ClusterPage';

const LONG = 120_000;

function attrIs(page: Page, testId: string, attr: string, value: string, timeout = 10_000) {
  return page.waitForFunction(
    ([t, a, v]) => document.querySelector(`[data-testid="${t}"]`)?.getAttribute(a) === v,
    [testId, attr, value] as const,
    { timeout },
  );
}

/**
 * Opens the cluster page and waits until it shows all `nodes`, live, every one answering (the dashboard's first poll
 * knows only the seed). Waits on the page's own signs, not the load event: the dashboard may be busy polling.
 */
export async function openBigCluster(page: Page, url: string, nodes: number): Promise<ClusterPage> {
  await page.goto(url, { waitUntil: 'commit', timeout: 60_000 });
  await attrIs(page, 'live', 'data-live', 'true', LONG);
  await attrIs(page, 'node-filter-count', 'data-shown', String(nodes), LONG);
  await page.waitForFunction(
    () =>
      document.querySelectorAll('[data-testid="node-row"]').length > 0 &&
      document.querySelectorAll('[data-testid="node-row"][data-reachable="false"]').length === 0,
    undefined,
    { timeout: LONG },
  );
  return new ClusterPage(page);
}

/** The durations of `name`'s measures since the last call (and forgets them). */
export function takeMeasures(page: Page, name: string): Promise<number[]> {
  return page.evaluate((n) => {
    const out = performance.getEntriesByName(n, 'measure').map((e) => e.duration);
    performance.clearMeasures(n);
    return out;
  }, name);
}

async function oneMeasure(page: Page, name: string): Promise<number> {
  await page.waitForFunction((n) => performance.getEntriesByName(n, 'measure').length > 0, name);
  const last = (await takeMeasures(page, name)).at(-1);
  if (last === undefined) throw new Error(`no ${name} measure`);
  return last;
}

/** Clicks `repeats` slots on the map; each must be selected (map and slot info) before the next. */
export async function timeSlotSelect(page: Page, cluster: ClusterPage, repeats: number): Promise<number[]> {
  await cluster.slotMap.scrollIntoViewIfNeeded();
  await takeMeasures(page, 'slot-select');
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const slot = (1000 + i * 3001) % 16384;
    const point = await cluster.slotPoint(slot);
    await page.mouse.click(point.x, point.y);
    await attrIs(page, 'slot-map', 'data-selection', `${slot}-${slot}`);
    await attrIs(page, 'slot-info', 'data-slot', String(slot));
    out.push(await oneMeasure(page, 'slot-select'));
  }
  return out;
}

/** Filters the node table by one node's id, then by "replica" (half the nodes), in turns; cleared between. */
export async function timeNodeFilter(page: Page, nodes: readonly SimNodeInfo[], repeats: number): Promise<number[]> {
  const filter = page.getByTestId('node-filter');
  await filter.scrollIntoViewIfNeeded();
  await takeMeasures(page, 'node-filter');
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const byId = i % 2 === 0;
    await filter.fill(byId ? (nodes[(i * 97) % nodes.length]?.id ?? '') : 'replica');
    const replicas = nodes.filter((n) => n.role === 'replica').length;
    await attrIs(page, 'node-filter-count', 'data-shown', String(byId ? 1 : replicas));
    out.push(await oneMeasure(page, 'node-filter'));
    await filter.fill('');
    await attrIs(page, 'node-filter-count', 'data-shown', String(nodes.length));
    await takeMeasures(page, 'node-filter');
  }
  return out;
}

/** Opens `repeats` nodes from the table (filtered to the node, its address clicked), going back between. */
export async function timeNodeOpen(page: Page, nodes: readonly SimNodeInfo[], repeats: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const node = nodes[(i * 199) % nodes.length];
    if (!node) throw new Error('no node');
    await page.getByTestId('node-filter').fill(node.id);
    await takeMeasures(page, 'node-open');
    await page.locator(`[data-testid="node-row"][data-node-id="${node.id}"] a`).click();
    await page.waitForFunction(
      (addr) => document.querySelector('[data-testid="node-title"]')?.textContent?.includes(addr) ?? false,
      node.addr,
    );
    out.push(await oneMeasure(page, 'node-open'));
    // Back to the cluster page (client-side, from the cache) for the next one.
    await page.goBack();
    await page.getByTestId('node-filter').waitFor({ timeout: 30_000 });
  }
  return out;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
