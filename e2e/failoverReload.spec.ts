import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { replyHoldingProxy } from '../scripts/test/replyHoldingProxy';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type ServerRun, type Stack, startServer, startStack, waitForHttp } from './support/stack';

// One failover slowed by the network, not by the test: the dashboard reaches one replica through a proxy that holds
// that connection's replies once CLUSTER FAILOVER goes through it, until the test has seen the job running after a
// reload and releases them (at most HOLD_MS).
const HOLD_MS = 60_000;

test.describe.configure({ mode: 'serial' });
test.use({ viewport: { width: 1366, height: 768 } });

let stack: Stack;
let server: ServerRun;
let proxy: Awaited<ReturnType<typeof replyHoldingProxy>>;
/** The stack with its base URL pointing at the dashboard that goes through the proxy. */
let viaProxy: Stack;

test.beforeAll(async () => {
  // cluster-node-timeout 15 s: Redis's own wait before the same replica may be elected again is 60 s, long enough to
  // watch the start button count it down.
  stack = await startStack({ cluster: { nodeTimeoutMs: 15_000 } });
  const replica = replicaOfFirstMaster();
  proxy = await replyHoldingProxy(replica.host, replica.port, /\r\nFAILOVER\r\n/, HOLD_MS);
  const config = JSON.parse(await readFile(stack.configPath, 'utf8')) as { clusters: Array<Record<string, unknown>> };
  const [main] = config.clusters;
  if (!main) throw new Error('no cluster in the config');
  main.natMap = { [replica.addr]: `127.0.0.1:${proxy.port}` };
  const configPath = path.join(stack.dir, 'via-proxy.config.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  // Only the dashboard that goes through the proxy is needed.
  await stack.stopServer();
  server = await startServer(configPath, path.join(stack.dir, 'via-proxy.log'), stack.env);
  await waitForHttp(`${server.baseURL}/api/health`, (r) => r.status === 200);
  viaProxy = { ...stack, baseURL: server.baseURL };
});

test.afterAll(async () => {
  if (server) {
    server.child.kill('SIGTERM');
    const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
    await server.exited;
    clearTimeout(timer);
  }
  await proxy?.close();
  await stack?.stop();
});

function replicaOfFirstMaster() {
  const master = stack.dev.masters[0];
  const replica = stack.dev.replicas.find((r) => r.masterId === master?.id);
  if (!master || !replica) throw new Error('no master/replica pair');
  return replica;
}

/** The dialog is fully on screen, holds the focus, and Escape is what closes it (checked where it is closed). */
async function expectFocusedInView(page: Page, wizard: Locator) {
  await expect(wizard).toBeInViewport({ ratio: 1 });
  const box = await wizard.boundingBox();
  const viewport = page.viewportSize();
  expect(box && viewport && box.y >= 0 && box.y + box.height <= viewport.height).toBe(true);
  await expect
    .poll(() =>
      wizard.evaluate((dialog) => dialog.contains(document.activeElement) && (dialog as HTMLDialogElement).open),
    )
    .toBe(true);
}

const stepNames = (wizard: Locator) =>
  wizard.getByTestId('failover-step').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-step') ?? ''));

test('the failover job, its result and "Fail back" survive reloads; no failback once the roles are back', async ({
  page,
}) => {
  const replica = replicaOfFirstMaster();
  const masterId = replica.masterId ?? '';
  await loginAs(page.request, viaProxy, 'operator');
  const cluster = new ClusterPage(page);
  await page.goto(`${viaProxy.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.live).toHaveAttribute('data-live', 'true');
  await expect(cluster.node(replica.id)).toHaveAttribute('data-role', 'replica');
  await page.locator(`[data-testid="shard"][data-master-id="${masterId}"]`).getByTestId('failover-master').click();
  const wizard = page.getByTestId('failover-wizard');
  await expectFocusedInView(page, wizard);
  await expect(wizard.locator('code')).toHaveText(replica.id);

  // Failing checks first, then warnings, then the passing ones (folded behind their count).
  await expect(wizard.getByTestId('failover-check')).not.toHaveCount(0);
  const order = await wizard
    .getByTestId('failover-check')
    .evaluateAll((rows) => rows.map((r) => ({ fail: 0, warn: 1, pass: 2 })[r.getAttribute('data-status') ?? 'pass']));
  expect(order).toEqual([...order].sort());
  await expect(wizard.getByTestId('failover-checks-passed')).toContainText(/\d+ checks? passed/);
  // Each mode's explanation once.
  await expect(wizard.getByText(/nothing acknowledged is lost/)).toHaveCount(1);
  await expect(wizard.getByText(/writes the master acknowledged but did not replicate are LOST/)).toHaveCount(1);

  await wizard.getByLabel('Confirmation').fill(replica.id);
  await wizard.getByRole('button', { name: /Start DEFAULT failover/ }).click();
  const job = wizard.getByTestId('failover-job');
  await expect(job).toHaveAttribute('data-state', 'running');
  const jobId = await job.getAttribute('data-job-id');
  expect(jobId).toMatch(/^[0-9a-f]{16}$/);
  // Every step is listed from the start; the ones not reached yet are pending.
  const planned = await stepNames(wizard);
  expect(planned).toEqual([
    'pre-checks',
    'scheduled',
    'replica caught up',
    'elected (new epoch)',
    'every reachable node agrees',
    'old master is a replica of the new one',
    'verified',
  ]);
  await expect(wizard.locator('[data-testid="failover-step"][data-state="pending"]')).not.toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('wizard-running-1366.png') });

  // Reload in the middle of the failover: the same job, still running, with the same steps.
  await page.reload();
  await expect(wizard.getByTestId('failover-job')).toHaveAttribute('data-job-id', jobId ?? '');
  await expect(wizard.getByTestId('failover-job')).toHaveAttribute('data-state', 'running');
  expect(await stepNames(wizard)).toEqual(planned);
  await expect(wizard.locator('[data-testid="failover-step"][data-step="pre-checks"]')).toHaveAttribute(
    'data-state',
    'done',
  );
  await expectFocusedInView(page, wizard);
  await page.screenshot({ path: test.info().outputPath('wizard-after-reload-running-1366.png') });
  expect(proxy.held(), 'the proxy held the CLUSTER FAILOVER reply').toBe(1);
  // Seen running after the reload: now let the reply through (a loaded runner may take seconds to reload a page).
  proxy.release();

  await expect(wizard.getByTestId('failover-job')).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  for (const name of planned) {
    const step = wizard.locator(`[data-testid="failover-step"][data-step="${name}"]`);
    await expect(step).toHaveAttribute('data-state', 'done');
    await expect(step.getByTestId('failover-step-at')).toHaveText(/^\+[\d,]+ ms$/);
  }
  await expect(
    wizard.locator('[data-testid="failover-step"][data-step="verified"]').getByTestId('failover-step-took'),
  ).toHaveText(/^[\d,]+ ms$/);
  await expect(wizard.getByTestId('failback')).toBeVisible();

  // Reload after it: the result and "Fail back" are still there.
  await page.reload();
  await expect(wizard.getByTestId('failover-job')).toHaveAttribute('data-job-id', jobId ?? '');
  await expect(wizard.getByTestId('failover-job')).toHaveAttribute('data-state', 'succeeded');
  await expect(wizard.getByTestId('failover-timings')).toContainText('verified after');
  await expect(wizard.getByTestId('failback')).toContainText(
    stack.dev.nodes.find((n) => n.id === masterId)?.addr ?? '',
  );
  await expectFocusedInView(page, wizard);
  await page.screenshot({ path: test.info().outputPath('wizard-succeeded-1366.png') });

  // The failback: the old master promoted back, through the same pre-checks and confirmation.
  await wizard.getByTestId('failback').click();
  await expect(wizard.locator('code')).toHaveText(masterId);
  await expect(wizard.getByRole('heading')).toContainText('Fail back');
  await wizard.getByLabel('Confirmation').fill(masterId);
  // The old master may still be resyncing from the new one: the pre-checks hold the button until it is in sync.
  await wizard.getByRole('button', { name: /Start DEFAULT failover/ }).click({ timeout: 30_000 });
  const failbackJob = wizard.getByTestId('failover-job');
  await expect(failbackJob).toHaveAttribute('data-state', 'succeeded', { timeout: 30_000 });
  expect(await failbackJob.getAttribute('data-job-id')).not.toBe(jobId);
  await expect(cluster.node(masterId)).toHaveAttribute('data-role', 'master');
  await expect(cluster.node(replica.id)).toHaveAttribute('data-role', 'replica');
  await expect(wizard.getByTestId('failback')).toHaveCount(0);
  await expect(wizard.getByTestId('failback-unavailable')).toContainText('failback');

  // After a reload: the failback job, and still no "Fail back".
  await page.reload();
  await expect(wizard.getByTestId('failover-job')).toHaveAttribute('data-state', 'succeeded');
  await expect(wizard.getByRole('heading')).toContainText('Fail back');
  await expect(wizard.getByTestId('failback-unavailable')).toBeVisible();
  await expect(page.getByTestId('failback')).toHaveCount(0);

  // Escape closes it; closed, it stays closed on the next load, and the result stays on the page.
  await page.keyboard.press('Escape');
  await expect(wizard).toHaveCount(0);
  await expect(page.getByTestId('recent-failover').getByTestId('failover-job')).toHaveAttribute(
    'data-state',
    'succeeded',
  );
  await page.reload();
  await expect(page.getByTestId('recent-failover')).toBeVisible();
  await expect(page.getByTestId('failover-wizard')).toHaveCount(0);
  await expect(page.getByTestId('failback')).toHaveCount(0);
});

test('the start button names the blocker and counts down Redis’s own wait before the same replica is elected again', async ({
  page,
}) => {
  const replica = replicaOfFirstMaster();
  await loginAs(page.request, viaProxy, 'operator');
  await page.goto(`${viaProxy.baseURL}/clusters/${stack.clusterId}`);
  await expect(new ClusterPage(page).node(replica.id)).toHaveAttribute('data-role', 'replica');
  const wizard = page.getByTestId('failover-wizard');
  // Another browser has not closed the last failover (the failback): it opens on it.
  await expect(wizard.getByTestId('failover-job')).toHaveAttribute('data-state', 'succeeded');
  await wizard.getByTestId('failover-close').click();
  await expect(wizard).toHaveCount(0);
  await page
    .locator(`[data-testid="shard"][data-master-id="${replica.masterId}"]`)
    .getByTestId('failover-master')
    .click();
  await expect(wizard.locator('code')).toHaveText(replica.id);
  const start = wizard.getByTestId('failover-start');
  // The replica won an election a few seconds ago: Redis starts no new one by it within 60 s.
  await expect(start).toHaveAttribute('data-blocked', 'election not held back by a recent one');
  await expect(start).toContainText(/^Blocked: election not held back by a recent one — ready in \d+ s/);
  await expect(start).toBeDisabled();
  const first = Number(await start.getAttribute('data-wait-s'));
  expect(first).toBeGreaterThan(2);
  await expect.poll(async () => Number(await start.getAttribute('data-wait-s'))).toBeLessThan(first);
  await expect(wizard.locator('[data-testid="failover-check"]').first()).toHaveAttribute('data-status', 'fail');
  await page.screenshot({ path: test.info().outputPath('wizard-blocked-1366.png') });
  for (const size of [
    { width: 1920, height: 1080 },
    { width: 3840, height: 2160 },
  ]) {
    await page.setViewportSize(size);
    await expectFocusedInView(page, wizard);
    await page.screenshot({ path: test.info().outputPath(`wizard-blocked-${size.width}.png`) });
  }
  await wizard.getByTestId('failover-close').click();
  await expect(wizard).toHaveCount(0);
});
