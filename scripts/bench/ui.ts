// npm run bench:ui — in Debian's chromium: time to draw and redraw the full slot map, and the JavaScript shipped to
// the cluster page. Starts its own cluster and dashboard (like the e2e tests) and stops them at the end.
// Options: --redraws N (default 200), --masters M (default 3; 1 replica each).
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CHROMIUM } from '../../e2e/support/chromium';
import { loginAs, startStack } from '../../e2e/support/stack';
import { round, summarize } from './stats';

const { values } = parseArgs({
  options: { redraws: { type: 'string', default: '200' }, masters: { type: 'string', default: '3' } },
});
const redraws = Number(values.redraws);
const stack = await startStack({ cluster: { masters: Number(values.masters), replicasPerMaster: 1 } });
const browser = await chromium.launch(CHROMIUM);
try {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await loginAs(context.request, stack, 'viewer');
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await page.getByTestId('slot-map').waitFor();
  await page.waitForFunction(() => performance.getEntriesByName('slotmap-draw').length > 0);
  const firstPaintMs = Date.now() - started;
  const firstDraw = await page.evaluate(() => performance.getEntriesByName('slotmap-draw')[0]?.duration ?? Number.NaN);
  await page.evaluate(() => performance.clearMeasures('slotmap-draw'));
  // Each arrow key selects another slot, which redraws the whole map (plus the pushed snapshots meanwhile).
  await page.getByTestId('slot-map').focus();
  for (let i = 0; i < redraws; i++) await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
  await page.waitForFunction((n) => performance.getEntriesByName('slotmap-draw').length >= n, redraws);
  const durations = await page.evaluate(() => performance.getEntriesByName('slotmap-draw').map((e) => e.duration));
  const scripts = await page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .filter((e) => (e as PerformanceResourceTiming).initiatorType === 'script' || e.name.endsWith('.js'))
      .map((e) => ({
        transfer: (e as PerformanceResourceTiming).encodedBodySize,
        decoded: (e as PerformanceResourceTiming).decodedBodySize,
      })),
  );
  const redraw = summarize(durations);
  const result = {
    bench: 'ui',
    at: new Date().toISOString(),
    cluster: { masters: stack.dev.masters.length, nodes: stack.dev.nodes.length },
    pageToFirstMapMs: firstPaintMs,
    firstDrawMs: round(firstDraw),
    redraws: redraw.n,
    redrawMedianMs: round(redraw.median),
    redrawP95Ms: round(redraw.p95),
    redrawMaxMs: round(redraw.max),
    scriptFiles: scripts.length,
    scriptKiBTransferred: round(scripts.reduce((s, e) => s + e.transfer, 0) / 1024, 1),
    scriptKiBDecoded: round(scripts.reduce((s, e) => s + e.decoded, 0) / 1024, 1),
  };
  console.table(
    Object.entries(result).map(([k, v]) => ({ measure: k, value: typeof v === 'object' ? JSON.stringify(v) : v })),
  );
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/ui.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log('written to bench-results/ui.json');
} finally {
  await browser.close();
  await stack.stop();
}
