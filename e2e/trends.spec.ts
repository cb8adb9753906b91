import { expect, type Locator, type Page, test } from '@playwright/test';
import parsePrometheus from 'parse-prometheus-text-format';
import { connectTo } from '../scripts/devcluster/cluster';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  // A latency monitor that is on: the panel must say so, with the threshold, not "off".
  stack = await startStack({ cluster: { extraConfig: { 'latency-monitor-threshold': '25' } } });
  // A little traffic so the rate charts have something to draw.
  const master = stack.dev.masters[0];
  if (!master) throw new Error('no master');
  const client = connectTo(master.host, master.port);
  try {
    for (let i = 0; i < 2000; i++) await client.call('PING');
  } finally {
    client.disconnect();
  }
});
test.afterAll(async () => {
  await stack?.stop();
});

/**
 * Axis tick labels that are cut by their chart's edge, wrap over two lines, or were pushed off their tick to stay
 * inside (what recharts does to a label without room: the top y label then sits below its grid line), as
 * "text (why)".
 */
async function clippedTicks(charts: Locator): Promise<string[]> {
  return charts.evaluateAll((figures) =>
    figures.flatMap((figure) => {
      const svg = figure.querySelector('svg.recharts-surface');
      if (!svg) return ['no chart'];
      const box = svg.getBoundingClientRect();
      return (['x', 'y'] as const).flatMap((axis) => {
        const labels = [
          ...figure.querySelectorAll(`.recharts-${axis}Axis-tick-labels .recharts-cartesian-axis-tick-value`),
        ];
        const lines = [
          ...figure.querySelectorAll(`.recharts-${axis}Axis-tick-lines .recharts-cartesian-axis-tick-line`),
        ];
        return labels.flatMap((tick, i) => {
          const r = tick.getBoundingClientRect();
          const line = lines[i]?.getBoundingClientRect();
          const offTick = line
            ? axis === 'y'
              ? Math.abs((r.top + r.bottom) / 2 - line.top) > 1.5
              : Math.abs((r.left + r.right) / 2 - line.left) > 1.5
            : true;
          const out = [
            tick.querySelectorAll('tspan').length > 1 && 'wrapped',
            offTick && 'off its tick',
            r.top < box.top - 0.5 && 'top',
            r.bottom > box.bottom + 0.5 && 'bottom',
            r.left < box.left - 0.5 && 'left',
            r.right > box.right + 0.5 && 'right',
          ].filter(Boolean);
          return out.length ? [`${axis} ${tick.textContent} (${out.join(', ')})`] : [];
        });
      });
    }),
  );
}

/** The top y tick label of each small multiple of one metric. */
const topYTicks = (page: Page, metric: string) =>
  page
    .locator(`[data-testid="node-multiples"][data-metric="${metric}"] [data-testid="node-chart"]`)
    .evaluateAll((charts) =>
      charts.map(
        (c) =>
          [...c.querySelectorAll('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')].at(-1)
            ?.textContent,
      ),
    );

const hexToRgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;

test('the trends page draws the charts with data, legends, time axes, uncut ticks and the latency monitor state', async ({
  page,
}) => {
  // Two viewport sizes and several polled conditions: room for a loaded 2-core machine.
  test.setTimeout(180_000);
  await loginAs(page.request, stack, 'viewer');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/trends`);
  await page.getByRole('button', { name: '5m', exact: true }).click();
  const memory = page.locator('[data-testid="shard-chart"][data-metric="used_memory"]');
  await expect
    .poll(async () => Number(await memory.getAttribute('data-points')), { timeout: 15_000 })
    .toBeGreaterThan(3);
  await expect(memory.locator('.recharts-area-area')).toHaveCount(3);

  // Every stacked chart has a legend naming each shard by its master's address, in the shard's colour.
  const masters = stack.dev.masters;
  const shardCharts = page.getByTestId('shard-chart');
  await expect(shardCharts).toHaveCount(4);
  for (const chart of await shardCharts.all()) {
    const items = chart.getByTestId('legend-item');
    await expect(items).toHaveCount(3);
    for (const m of masters) await expect(chart.getByTestId('chart-legend')).toContainText(m.addr);
    const fills = await chart
      .locator('.recharts-area-area')
      .evaluateAll((paths) => paths.map((p) => p.getAttribute('fill')));
    const swatches = await items.evaluateAll((lis) =>
      lis.map((li) => (li.querySelector('span[aria-hidden]') as HTMLElement | null)?.style.backgroundColor),
    );
    expect(swatches).toEqual(fills.map((f) => hexToRgb(f ?? '')));
  }

  // Small multiples: one per node, each with a time axis of clock ticks.
  const ops = page.locator('[data-testid="node-multiples"][data-metric="ops_per_sec"] [data-testid="node-chart"]');
  await expect(ops).toHaveCount(6);
  await expect(
    page.locator('[data-testid="node-multiples"][data-metric="ops_per_sec"] .recharts-line-curve'),
  ).toHaveCount(6);
  for (const chart of await ops.all()) {
    const ticks = chart.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value');
    await expect.poll(() => ticks.count()).toBeGreaterThanOrEqual(2);
    await expect(ticks.first()).toHaveText(/^\d\d:\d\d(:\d\d)?$/);
  }

  // The traffic went to one master: its own scale tops far above the others'; shared, every chart has one scale.
  expect(new Set(await topYTicks(page, 'ops_per_sec')).size).toBeGreaterThan(1);
  const sharedToggle = page
    .locator('[data-testid="node-multiples"][data-metric="ops_per_sec"]')
    .getByTestId('shared-scale');
  await sharedToggle.check();
  await expect.poll(async () => new Set(await topYTicks(page, 'ops_per_sec')).size).toBe(1);
  await sharedToggle.uncheck();

  // No tick label cut by its chart's edge, on the totals and on the small multiples, at both sizes.
  for (const size of [
    { width: 1920, height: 1080 },
    { width: 1366, height: 768 },
  ]) {
    await page.setViewportSize(size);
    await expect
      .poll(() => clippedTicks(page.locator('[data-testid="shard-chart"], [data-testid="node-chart"]')))
      .toEqual([]);
  }

  // The latency monitor reads the configured threshold on every node: on at 25 ms, not "off".
  const rows = page.getByTestId('latency-row');
  await expect(rows).toHaveCount(6);
  for (const node of stack.dev.nodes) await expect(page.getByTestId('latency-table')).toContainText(node.addr);
  const monitors = page.getByTestId('latency-monitor');
  await expect(monitors).toHaveCount(6);
  for (const monitor of await monitors.all()) {
    await expect(monitor).toHaveAttribute('data-state', 'on');
    await expect(monitor).toContainText('≥ 25 ms');
  }
  await expect
    .poll(async () => (await rows.first().locator('td').nth(1).innerText()).trim(), { timeout: 10_000 })
    .not.toBe('0');
  // Latency values keep their unit on the same line (at 1366 px too).
  const wrapped = await rows.evaluateAll((trs) =>
    trs.flatMap((tr) =>
      [...tr.querySelectorAll('td')].slice(2, 6).flatMap((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return lines.size > 1 ? [td.textContent] : [];
      }),
    ),
  );
  expect(wrapped).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('trends-1366.png'), fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.screenshot({ path: test.info().outputPath('trends-1920.png'), fullPage: true });
});

test('a viewer cannot start a big-key scan, an operator can and sees it finish', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/trends`);
  await expect(page.getByTestId('bigkeys')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Scan for big keys' })).toHaveCount(0);
  await page.context().clearCookies();
  await loginAs(page.request, stack, 'operator');
  await page.reload();
  await page.getByRole('button', { name: 'Scan for big keys' }).click();
  await expect(page.getByTestId('bigkeys-job')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
});

test('GET /api/metrics serves every node in the Prometheus text format to a bearer token', async ({ request }) => {
  expect((await request.get(`${stack.baseURL}/api/metrics`)).status()).toBe(401);
  expect(
    (
      await request.get(`${stack.baseURL}/api/metrics`, {
        headers: { authorization: 'Bearer wrong-token-wrong-token-wrong' },
      })
    ).status(),
  ).toBe(401);
  const response = await request.get(`${stack.baseURL}/api/metrics`, {
    headers: { authorization: `Bearer ${stack.metricsToken}` },
  });
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toContain('text/plain; version=0.0.4');
  const families = parsePrometheus(await response.text());
  const up = families.find((f) => f.name === 'redis_up');
  expect(new Set(up?.metrics.map((m) => m.labels?.addr))).toEqual(new Set(stack.dev.nodes.map((n) => n.addr)));
  expect(up?.metrics.every((m) => m.value === '1')).toBe(true);
  const used = families.find((f) => f.name === 'redis_memory_used_bytes');
  expect(used?.metrics).toHaveLength(6);
  // Node series carry no role (it would start new series at every failover); redis_instance_info has it.
  expect(Object.keys(used?.metrics[0]?.labels ?? {}).sort()).toEqual(['addr', 'cluster', 'node_id']);
  expect(used?.metrics[0]?.labels?.cluster).toBe(stack.clusterId);
  const roles = families.find((f) => f.name === 'redis_instance_info')?.metrics.map((m) => m.labels?.role);
  expect(roles?.sort()).toEqual(['master', 'master', 'master', 'replica', 'replica', 'replica']);
  expect(families.find((f) => f.name === 'redis_cluster_slots_ok')?.metrics[0]?.value).toBe('16384');
  // A viewer session works too.
  await loginAs(request, stack, 'viewer');
  expect((await request.get(`${stack.baseURL}/api/metrics`)).status()).toBe(200);
});

test('memory charts are scaled to the data; a node near its maxmemory gets the limit drawn, the others do not', async ({
  page,
}) => {
  await loginAs(page.request, stack, 'viewer');
  const master = stack.dev.masters[1];
  if (!master) throw new Error('no master');
  const client = stack.dev.client(master);
  const info = String(await client.call('INFO', 'memory'));
  const used = Number(/used_memory:(\d+)/.exec(info)?.[1]);
  // Used memory at ~2/3 of the limit: near it. The other nodes keep maxmemory 0 (no limit).
  await client.call('CONFIG', 'SET', 'maxmemory', String(Math.round(used * 1.5)));
  try {
    await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/trends`);
    const charts = page.locator('[data-testid="node-multiples"][data-metric="used_memory"] [data-testid="node-chart"]');
    const near = charts.and(page.locator(`[data-node-id="${master.id}"]`));
    await expect(near).toHaveAttribute('data-limit-shown', 'true', { timeout: 15_000 });
    await expect(near.locator('figcaption')).toContainText('maxmemory');
    await expect(near.locator('.recharts-reference-line')).toHaveCount(1);
    await expect(charts.and(page.locator('[data-limit-shown="true"]'))).toHaveCount(1);
    // Scaled to the data: the top tick is within a step of the node's memory, not at some far limit.
    for (const chart of await charts.all()) {
      const top = await chart
        .locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value')
        .last()
        .textContent();
      expect(top).toMatch(/MiB$/);
    }
  } finally {
    await client.call('CONFIG', 'SET', 'maxmemory', '0');
  }
});

test('a node restarted shows a gap in its charts and a restart marker from the timeline', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const replica = stack.dev.replicas[0];
  if (!replica) throw new Error('no replica');
  const reachable = async () => {
    const r = await page.request.get(`${stack.baseURL}/api/clusters/${stack.clusterId}/snapshot`);
    const { nodes } = (await r.json()) as { nodes: Array<{ id: string; reachable: boolean }> };
    return nodes.find((n) => n.id === replica.id)?.reachable;
  };
  await stack.dev.kill(replica);
  // A few polls without it (poll every 500 ms): more than the gap rule's 2.5 steps.
  await expect.poll(reachable, { timeout: 15_000 }).toBe(false);
  const missedPolls = async () => {
    const r = await page.request.get(`${stack.baseURL}/api/clusters/${stack.clusterId}/history?window=5m`);
    const { nodes } = (await r.json()) as { nodes: Array<{ nodeId: string; series: { used_memory: unknown[] } }> };
    const values = nodes.find((n) => n.nodeId === replica.id)?.series.used_memory ?? [];
    let missing = 0;
    for (let i = values.length - 1; i >= 0 && values[i] === null; i--) missing++;
    return missing;
  };
  await expect.poll(missedPolls, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
  await stack.dev.restart(replica);
  await expect.poll(reachable, { timeout: 30_000 }).toBe(true);

  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/trends`);
  await page.getByRole('button', { name: '5m', exact: true }).click();
  const event = page.locator('[data-testid="chart-event"][data-kind="node_restarted"]');
  await expect(event).toContainText(replica.addr, { timeout: 15_000 });
  const chart = page.locator(
    `[data-testid="node-multiples"][data-metric="used_memory"] [data-testid="node-chart"][data-node-id="${replica.id}"]`,
  );
  await expect(chart).toHaveAttribute('data-gaps', /^[1-9]/);
  await expect(chart).toHaveAttribute('data-markers', /^[1-9]/);
  await expect(chart.locator('.chart-marker-label[data-marker~="node_restarted"]')).toHaveCount(1);
  // The totals carry the marker too; the other nodes' charts do not.
  await expect(
    page.locator(
      '[data-testid="shard-chart"][data-metric="used_memory"] .chart-marker-label[data-marker~="node_restarted"]',
    ),
  ).toHaveCount(1);
  const other = stack.dev.nodes.find((n) => n.id !== replica.id && n.id !== replica.masterId);
  await expect(
    page.locator(
      `[data-testid="node-chart"][data-node-id="${other?.id}"] .chart-marker-label[data-marker~="node_restarted"]`,
    ),
  ).toHaveCount(0);
  for (const size of [
    { width: 1920, height: 1080 },
    { width: 1366, height: 768 },
  ]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: test.info().outputPath(`trends-restart-${size.width}.png`), fullPage: true });
  }
});
