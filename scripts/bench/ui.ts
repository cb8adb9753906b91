// npm run bench:ui — in Debian's chromium: time to draw and redraw the full slot map, and the JavaScript shipped to
// the cluster page. Starts its own cluster and dashboard (like the e2e tests) and stops them at the end.
// The redraws are timed twice: first with nothing overlaid (the baseline), then with the health overlay on (one
// replica stopped with SIGSTOP, so its master's slots are hatched "no replica able to take over"); the redraw figures
// reported are the overlay's, with the ratio to the baseline.
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
let stopped: (typeof stack.dev.nodes)[number] | undefined;
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
  const map = page.getByTestId('slot-map');
  // Each arrow key selects another slot, which redraws the whole map (plus the pushed snapshots meanwhile).
  const timeRedraws = async (): Promise<number[]> => {
    await page.evaluate(() => performance.clearMeasures('slotmap-draw'));
    await map.focus();
    for (let i = 0; i < redraws; i++) await page.keyboard.press(i % 2 ? 'ArrowLeft' : 'ArrowRight');
    await page.waitForFunction((n) => performance.getEntriesByName('slotmap-draw').length >= n, redraws);
    return page.evaluate(() => performance.getEntriesByName('slotmap-draw').map((e) => e.duration));
  };
  const baseline = summarize(await timeRedraws());
  if (Number(await map.getAttribute('data-overlay-warning')) !== 0) throw new Error('overlay on before the baseline');
  const master = stack.dev.masters[0];
  const replica = stack.dev.replicas.find((r) => r.masterId === master?.id);
  if (!replica) throw new Error('no replica to stop');
  stopped = replica;
  stack.dev.signal(replica, 'SIGSTOP');
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid="slot-map"]')?.getAttribute('data-overlay-warning')) > 0,
    undefined,
    { timeout: 15_000 },
  );
  const overlaySlots = Number(await map.getAttribute('data-overlay-warning'));
  const durations = await timeRedraws();
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
  const ratio = (a: number, b: number) => (b > 0 ? round(a / b) : Number.NaN);
  const result = {
    bench: 'ui',
    at: new Date().toISOString(),
    cluster: { masters: stack.dev.masters.length, nodes: stack.dev.nodes.length },
    pageToFirstMapMs: firstPaintMs,
    firstDrawMs: round(firstDraw),
    overlaySlots,
    redraws: redraw.n,
    redrawMedianMs: round(redraw.median),
    redrawP95Ms: round(redraw.p95),
    redrawMaxMs: round(redraw.max),
    baselineRedraws: baseline.n,
    baselineRedrawMedianMs: round(baseline.median),
    baselineRedrawP95Ms: round(baseline.p95),
    baselineRedrawMaxMs: round(baseline.max),
    overlayRatioMedian: ratio(redraw.median, baseline.median),
    overlayRatioP95: ratio(redraw.p95, baseline.p95),
    scriptFiles: scripts.length,
    scriptKiBTransferred: round(scripts.reduce((s, e) => s + e.transfer, 0) / 1024, 1),
    scriptKiBDecoded: round(scripts.reduce((s, e) => s + e.decoded, 0) / 1024, 1),
  };
  console.table(
    Object.entries(result).map(([k, v]) => ({ measure: k, value: typeof v === 'object' ? JSON.stringify(v) : v })),
  );
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/ui.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `slot map redraw with the overlay on (${overlaySlots} slots hatched): median ${result.redrawMedianMs} ms, p95 ${result.redrawP95Ms} ms, max ${result.redrawMaxMs} ms — ${redraw.max < 16 ? 'under' : 'OVER'} the 16 ms frame; baseline without overlay median ${result.baselineRedrawMedianMs} ms, p95 ${result.baselineRedrawP95Ms} ms (ratio ${result.overlayRatioMedian} / ${result.overlayRatioP95})`,
  );
  console.log('written to bench-results/ui.json');
} finally {
  if (stopped) stack.dev.signal(stopped, 'SIGCONT');
  await browser.close();
  await stack.stop();
}
