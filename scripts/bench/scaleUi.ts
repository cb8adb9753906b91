// npm run bench:scale-ui — the cluster page on a 1,000-node simulated cluster (scripts/simcluster, polled by the real
// dashboard) in Debian's chromium: selecting a slot, filtering the nodes and opening a node, each timed by the page
// itself (a performance mark when the handler runs, a measure after the next paint: lib/client/interactionTiming.ts).
// Goal: each under 100 ms. Prints median / p95 / max per interaction and the load average; starts and stops its own
// simulator and dashboard. Options: --masters M (default 500, one replica each), --repeats N (default 9).
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { openBigCluster, timeNodeFilter, timeNodeOpen, timeSlotSelect } from '../../e2e/support/bigCluster';
import { CHROMIUM } from '../../e2e/support/chromium';
import { loginAs, startSimStack } from '../../e2e/support/stack';
import { round, summarize } from './stats';

const { values } = parseArgs({
  options: { masters: { type: 'string', default: '500' }, repeats: { type: 'string', default: '9' } },
});
const masters = Number(values.masters);
const repeats = Number(values.repeats);
const load = () => os.loadavg().map((l) => round(l, 2));

const stack = await startSimStack(
  { masters, replicasPerMaster: 1 },
  { pollIntervalMs: 5000, clusterConfig: { nodeDeadlineMs: 3000 } },
);
const browser = await chromium.launch(CHROMIUM);
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  await loginAs(context.request, stack, 'viewer');
  const page = await context.newPage();
  const cluster = await openBigCluster(page, `${stack.baseURL}/clusters/${stack.clusterId}`, masters * 2);
  const loadBefore = load();
  const timings = {
    selectSlot: await timeSlotSelect(page, cluster, repeats),
    filterNodes: await timeNodeFilter(page, stack.sim.nodes, repeats),
    openNode: await timeNodeOpen(page, stack.sim.nodes, repeats),
  };
  const result = {
    bench: 'scale-ui',
    at: new Date().toISOString(),
    nodes: masters * 2,
    repeats,
    loadAverageBefore: loadBefore,
    loadAverageAfter: load(),
    ...Object.fromEntries(
      Object.entries(timings).map(([name, d]) => {
        const s = summarize(d);
        return [
          name,
          {
            medianMs: round(s.median, 1),
            p95Ms: round(s.p95, 1),
            maxMs: round(s.max, 1),
            all: d.map((x) => round(x, 1)),
          },
        ];
      }),
    ),
  };
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/scale-ui.json', `${JSON.stringify(result, null, 2)}\n`);
  for (const [name, d] of Object.entries(timings)) {
    const s = summarize(d);
    console.log(
      `${name}: median ${round(s.median, 1)} ms, p95 ${round(s.p95, 1)} ms, max ${round(s.max, 1)} ms — median ${s.median < 100 ? 'under' : 'OVER'} 100 ms`,
    );
  }
  console.log(
    `load average before ${loadBefore.join(' ')}, after ${result.loadAverageAfter.join(' ')}; bench-results/scale-ui.json`,
  );
} finally {
  await browser.close();
  await stack.stop();
}
