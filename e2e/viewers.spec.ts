import { type BrowserContext, expect, test } from '@playwright/test';
import { ON_DEMAND_REFRESH_MS } from '../lib/api/onDemand';
import { waitFor } from '../scripts/test/helpers';
import { sessionOf } from './support/sse';
import { loginAs, type Stack, startStack } from './support/stack';
import {
  type CommandDelta,
  commandDelta,
  cpuSeconds,
  openStream,
  planFrom,
  readCommandCounts,
  replayViewer,
  type StreamViewer,
} from './support/viewers';

let stack: Stack;

test.beforeAll(async () => {
  // Fifty people, not one user fifty times: event streams are capped per user.
  // The slot heat's COUNTKEYSINSLOT sweep is the cluster's own background read (bounded per master, counted in
  // server/collect/slotHeatCountKeys.int.test.ts), not a viewer's: off here, so every count below is the viewers'.
  stack = await startStack({ extraViewers: EXTRA_VIEWERS, clusterConfig: { slotHeatSweepMinutes: 0 } });
});
test.afterAll(async () => {
  await stack?.stop();
});

/** Polls per measurement: 25 s at the stack's 500 ms, so every 10 s read period is crossed at least twice. */
const POLLS = 50;
type Measured = CommandDelta & { polls: number; serverCpu: number };
const EXTRA_VIEWERS = 49;

test('50 viewers of the cluster page, Trends, a node page and a slot cause the Redis commands of one', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const nodes = stack.dev.nodes.map((n) => ({ addr: n.addr, client: stack.dev.client(n) }));
  const node = stack.dev.masters[0];
  if (!node) throw new Error('no master');
  const cluster = `/clusters/${stack.clusterId}`;
  const pages = [cluster, `${cluster}/trends`, `${cluster}/nodes/${node.id}`];
  await readCommandCounts(nodes); // opens the counting connections before anything is counted

  const contexts: BrowserContext[] = [];
  const seen: Array<{ path: string; at: number }> = [];
  let probe: StreamViewer | undefined;
  const extra: Array<ReturnType<typeof replayViewer>> = [];

  /** All commands on all nodes while `act` runs and the probe stream sees POLLS more polls. */
  async function measure(act: () => Promise<void>): Promise<Measured> {
    const p = probe;
    if (!p) throw new Error('no probe');
    const before = await readCommandCounts(nodes);
    const cpu = await cpuSeconds(stack.server.pid);
    const start = p.snapshots;
    await act();
    await waitFor(`${POLLS} polls`, async () => (p.snapshots >= start + POLLS ? true : undefined), 90_000, 50);
    const polls = p.snapshots - start;
    const delta = commandDelta(before, await readCommandCounts(nodes));
    return { ...delta, polls, serverCpu: (await cpuSeconds(stack.server.pid)) - cpu };
  }

  try {
    const login = await browser.newContext({ baseURL: stack.baseURL });
    await loginAs(login.request, stack, 'viewer');
    const storageState = await login.storageState();
    await login.close();
    const cookie = storageState.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    // Counts polls and nothing else: a stream listener causes no Redis command.
    probe = await openStream(`${stack.baseURL}/api/clusters/${stack.clusterId}/stream`, cookie);

    // (a) One viewer, in chromium: each page in a context of its own so none is a background tab.
    const one = await measure(async () => {
      for (const path of pages) {
        const context = await browser.newContext({ baseURL: stack.baseURL, storageState });
        contexts.push(context);
        context.on('request', (request) => {
          const url = new URL(request.url());
          if (request.method() === 'GET' && url.pathname.startsWith('/api/'))
            seen.push({ path: url.pathname + url.search, at: Date.now() });
        });
        const page = await context.newPage();
        await page.goto(path);
        if (path === cluster) {
          const map = page.getByTestId('slot-map');
          await map.focus();
          await map.press('ArrowRight');
          await expect(page.getByTestId('slot-keys')).toHaveText(/^\d+$/);
        }
      }
    });
    const plan = planFrom(seen, pages);
    expect(plan.streams, 'the cluster page holds the stream').toHaveLength(1);
    expect(plan.requests.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        `/api/clusters/${stack.clusterId}/slots/1`,
        `/api/clusters/${stack.clusterId}/nodes/${node.id}/links`,
        `/api/clusters/${stack.clusterId}/nodes/${node.id}/slowlog`,
        `/api/clusters/${stack.clusterId}/slowlog?count=32`,
      ]),
    );
    // The single viewer did cause node reads, so the comparison below is not of zero with zero.
    for (const { addr } of nodes) expect(one.byNode.get(addr)?.get('slowlog|get'), addr).toBeGreaterThan(0);
    expect(one.byNode.get(node.addr)?.get('cluster|links')).toBeGreaterThan(0);
    expect(one.byCommand.get('cluster|countkeysinslot')).toBeGreaterThan(0);

    const cookies: string[] = [];
    for (let i = 1; i <= EXTRA_VIEWERS; i++)
      cookies.push(await sessionOf(stack.baseURL, `viewer-${i}`, stack.passwords.viewer));
    // (b) 49 more viewers asking exactly what the browser asked, opened at random moments over one slow-log period.
    const fifty = await measure(async () => {
      for (let i = 0; i < EXTRA_VIEWERS; i++)
        extra.push(replayViewer(stack.baseURL, cookies[i] ?? '', plan, Math.random() * ON_DEMAND_REFRESH_MS.slowlog));
    });
    const failures = extra.flatMap((v) => v.failures());
    if (failures.length) console.log(failures.slice(0, 5), (await stack.serverLog()).slice(-3000));
    expect(failures).toEqual([]);
    expect(extra.every((v) => v.requests() > plan.requests.length)).toBe(true);

    const perPoll = (d: { total: number; polls: number }) => d.total / d.polls;
    const describe = (d: Measured) =>
      `${perPoll(d).toFixed(1)} commands/poll (${d.total} over ${d.polls} polls in ${(d.ms / 1000).toFixed(1)} s; slowlog|get ${d.byCommand.get('slowlog|get') ?? 0}, cluster|links ${d.byCommand.get('cluster|links') ?? 0}, cluster|countkeysinslot ${d.byCommand.get('cluster|countkeysinslot') ?? 0}); dashboard CPU ${d.serverCpu.toFixed(1)} s`;
    test.info().annotations.push({ type: '1 viewer', description: describe(one) });
    test.info().annotations.push({ type: '50 viewers', description: describe(fifty) });
    test.info().annotations.push({
      type: 'each viewer asks',
      description: plan.requests
        .map((r) => `${r.path} ${r.everyMs ? `every ${Math.round(r.everyMs)} ms` : 'once'}`)
        .join('; '),
    });

    expect(perPoll(fifty)).toBeLessThanOrEqual(1.1 * perPoll(one));
    // However many viewers: at most one round trip per node per read per refresh period (+2 for the window's edges).
    const periods: Record<string, number> = {
      'slowlog|get': ON_DEMAND_REFRESH_MS.slowlog,
      'cluster|links': ON_DEMAND_REFRESH_MS.links,
      'cluster|countkeysinslot': ON_DEMAND_REFRESH_MS.slotKeys,
    };
    for (const [addr, counts] of fifty.byNode)
      for (const [command, periodMs] of Object.entries(periods))
        expect(counts.get(command) ?? 0, `${command} on ${addr}`).toBeLessThanOrEqual(
          Math.floor(fifty.ms / periodMs) + 2,
        );
  } finally {
    for (const v of extra) v.close();
    probe?.close();
    for (const context of contexts) await context.close();
  }
});
