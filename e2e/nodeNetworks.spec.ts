import { type APIRequestContext, expect, test } from '@playwright/test';
import type { ApiErrorBody } from '../lib/api/types';
import type { ClusterSnapshot } from '../lib/cluster/types';
import type { Job } from '../lib/jobs/types';
import { parseInfo } from '../lib/redis/info';
import { SLOT_COUNT } from '../lib/redis/slots';
import type { DevNode } from '../scripts/devcluster/cluster';
import { fillSlots } from '../scripts/test/slotData';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

// Discovery and job limits through the built server: a node MEETed in from outside nodeNetworks is shown, never
// connected to (its AUTH count stays put), and reported; one big-key scan per cluster; a cancel ends it.

test.describe.configure({ mode: 'serial' });

let stack: Stack;
let intruder: DevNode;

/** AUTH calls the intruder has served: every connection the dashboard would open starts with one. */
async function intruderAuthCalls(): Promise<number> {
  const stats = parseInfo(String(await stack.dev.client(intruder).call('INFO', 'commandstats'))).fields;
  return Number(/calls=(\d+)/.exec(stats.cmdstat_auth ?? '')?.[1] ?? 0);
}

test.beforeAll(async () => {
  // The cluster on 127.0.0.1-3, with a password; the intruder on 127.0.0.4 with the same one, so an AUTH would pass.
  stack = await startStack({
    cluster: { password: 'e2e-cluster-secret' },
    clusterConfig: { nodeNetworks: ['127.0.0.1/32', '127.0.0.2/32', '127.0.0.3/32'] },
  });
  await fillSlots(
    stack.dev,
    Array.from({ length: SLOT_COUNT }, (_, i) => i),
    () => 10,
  );
  intruder = await stack.dev.startEmptyNode('127.0.0.4');
});
test.afterAll(async () => {
  await stack?.stop();
});

const post = (request: APIRequestContext, url: string, data?: unknown) =>
  request.post(`${stack.baseURL}${url}`, { data, headers: { origin: stack.baseURL } });

test('a node MEETed in from outside nodeNetworks is shown as not polled, with a critical finding, and never AUTHed', async ({
  page,
}) => {
  const before = await intruderAuthCalls();
  const [first] = stack.dev.masters;
  if (!first) throw new Error('no master');
  await stack.dev.client(intruder).call('CLUSTER', 'MEET', first.host, String(first.port));

  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  const row = page.locator(`[data-testid="node-row"][data-node-id="${intruder.id}"]`);
  await expect(row).toContainText('not polled', { timeout: 20_000 });
  await expect(row).toContainText(`not polled: ${intruder.addr} is outside nodeNetworks`);
  const finding = cluster.findings.and(page.locator('[data-code="node_outside_networks"]'));
  await expect(finding).toHaveAttribute('data-severity', 'critical');
  await expect(finding).toContainText(intruder.addr);
  await expect(finding).toContainText('CLUSTER FORGET');

  const snapshot = (await (
    await page.request.get(`${stack.baseURL}/api/clusters/${stack.clusterId}/snapshot`)
  ).json()) as ClusterSnapshot;
  expect(snapshot.nodes.find((n) => n.id === intruder.id)).toMatchObject({
    reachable: false,
    outsideNodeNetworks: true,
    error: `not polled: ${intruder.addr} is outside nodeNetworks`,
  });
  // Its node page reads nothing from it either.
  const slowlog = await page.request.get(
    `${stack.baseURL}/api/clusters/${stack.clusterId}/nodes/${intruder.id}/slowlog`,
  );
  expect(slowlog.status()).toBe(409);
  expect(await intruderAuthCalls()).toBe(before);
});

test('one big-key scan per cluster: a second start is the 409 naming the running one; a cancel ends it', async ({
  request,
}) => {
  await loginAs(request, stack, 'operator');
  const url = `/api/clusters/${stack.clusterId}/bigkeys`;
  const started = await post(request, url, { top: 5 });
  expect(started.status()).toBe(200);
  const { jobId } = (await started.json()) as { jobId: string };

  const second = await post(request, url, { top: 5 });
  expect(second.status()).toBe(409);
  const refusal = (await second.json()) as ApiErrorBody;
  expect(refusal.error.code).toBe('conflict');
  expect(refusal.error.message).toContain(`job ${jobId}`);
  expect(refusal.error.job).toMatchObject({ id: jobId, kind: 'bigkeys', state: 'running', startedBy: 'operator' });

  expect((await post(request, `/api/jobs/${jobId}/cancel`)).status()).toBe(200);
  await expect
    .poll(async () => ((await (await request.get(`${stack.baseURL}/api/jobs/${jobId}`)).json()) as Job).state, {
      timeout: 10_000,
      intervals: [100],
    })
    .toBe('cancelled');
  const job = (await (await request.get(`${stack.baseURL}/api/jobs/${jobId}`)).json()) as Job;
  expect(job.steps.map((s) => s.state)).toEqual(['skipped', 'skipped', 'skipped']);

  // Once it has ended, a new scan may start.
  const again = await post(request, url, { top: 5 });
  expect(again.status()).toBe(200);
  const { jobId: next } = (await again.json()) as { jobId: string };
  await post(request, `/api/jobs/${next}/cancel`);
});
