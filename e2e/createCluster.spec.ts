import { expect, test } from '@playwright/test';
import { parseClusterNodes } from '../lib/redis/clusterNodes';
import type { DevNode } from '../scripts/devcluster/cluster';
import { THREE_HOSTS } from '../scripts/test/helpers';
import { redisCliCheck } from '../scripts/test/redisCliCheck';
import { CreateClusterPage } from './pages/CreateClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

// Create a cluster through the UI: six empty nodes on three loopback hosts, the preview by host, the typed first
// address, live steps, then "Add to dashboard" and the new cluster's own page.

test.describe.configure({ mode: 'serial' });

const PASSWORD = 'e2e-create-pw';
let stack: Stack;
let empty: DevNode[] = [];

test.beforeAll(async () => {
  stack = await startStack({
    cluster: { password: PASSWORD },
    dashboardConfig: { createTargets: ['127.0.0.0/8'] },
    env: { E2E_CREATE_PW: PASSWORD },
  });
  empty = [];
  for (const host of [...THREE_HOSTS, ...THREE_HOSTS]) empty.push(await stack.dev.startEmptyNode(host));
});
test.afterAll(async () => {
  await stack?.stop();
});

test('a viewer and an operator get 403 on the create routes; /clusters/create is not a cluster page', async ({
  request,
}) => {
  for (const role of ['viewer', 'operator'] as const) {
    await loginAs(request, stack, role);
    for (const path of ['/api/clusters/create/plan', '/api/clusters/create', '/api/clusters/create/add-to-config']) {
      const response = await request.post(`${stack.baseURL}${path}`, {
        data: { nodes: empty.map((n) => n.addr), replicas: 1 },
        headers: { origin: stack.baseURL },
      });
      expect(response.status(), `${role} ${path}`).toBe(403);
    }
  }
  // The dynamic segment still answers for other paths under "create": no cluster has that id.
  await loginAs(request, stack, 'admin');
  const snapshot = await request.get(`${stack.baseURL}/api/clusters/create/snapshot`);
  expect(snapshot.status()).toBe(404);
});

test('an admin creates 3 masters and 3 replicas from the preview and adds the cluster to the dashboard', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await loginAs(page.request, stack, 'admin');
  const create = new CreateClusterPage(page);
  await create.goto(stack.baseURL);
  await create.nodes.fill(empty.map((n) => n.addr).join('\n'));
  await create.replicas.fill('1');
  // The configured cluster has a password: new nodes default to its login, not "no password".
  await expect(create.login).toHaveValue(`cluster:${stack.clusterId}`);
  await create.login.selectOption('none');
  await create.previewButton.click();
  // Nodes that answer NOAUTH want a password: one line naming the login to pick, never "does not answer".
  await expect(create.error).toContainText(`6 nodes want a password (NOAUTH: ${empty[0]?.addr}`);
  await expect(create.error).toContainText(`choose 'same as`);
  await expect(create.error).not.toContainText('does not answer');
  await create.login.selectOption(`cluster:${stack.clusterId}`);
  await create.previewButton.click();
  await expect(create.preview).toBeVisible();
  await expect(create.hosts).toHaveCount(3);
  await expect(create.warnings).toHaveCount(0);
  const replicas = create.preview.getByTestId('create-replica');
  await expect(replicas).toHaveCount(3);
  for (const r of await replicas.all()) {
    const addr = (await r.getAttribute('data-addr')) ?? '';
    const master = (await r.getAttribute('data-master')) ?? '';
    expect(master.slice(0, master.lastIndexOf(':'))).not.toBe(addr.slice(0, addr.lastIndexOf(':')));
  }
  const planned = await Promise.all(
    (await replicas.all()).map(async (r) => [await r.getAttribute('data-addr'), await r.getAttribute('data-master')]),
  );

  await expect(create.start).toBeDisabled();
  await create.confirm.fill(empty[0]?.addr ?? '');
  await create.start.click();
  await expect(create.job).toHaveAttribute('data-state', 'succeeded', { timeout: 90_000 });
  await expect(create.steps.filter({ has: page.locator('[data-state="failed"]') })).toHaveCount(0);

  const first = empty[0];
  if (!first) throw new Error('no node');
  const lines = parseClusterNodes(await stack.dev.clusterNodes(first));
  const addrOf = new Map(lines.map((l) => [l.id, `${l.host}:${l.port}`]));
  const made = lines
    .filter((l) => l.role === 'replica')
    .map((l) => [`${l.host}:${l.port}`, addrOf.get(l.masterId ?? '')]);
  expect(made.sort()).toEqual(planned.sort());
  expect(await redisCliCheck(first.addr, PASSWORD)).toMatchObject({ agree: true, covered: true, openSlots: [] });

  // A reload loses the form, not the job: the page shows it with its steps and "Add to dashboard"; the same nodes
  // previewed again are said to be the cluster that job made.
  const jobId = await create.job.getAttribute('data-job-id');
  await page.reload();
  const recent = page.getByTestId('create-recent');
  await expect(recent).toHaveAttribute('data-job-id', jobId ?? '');
  await expect(create.job).toHaveAttribute('data-state', 'succeeded');
  await create.nodes.fill(empty.map((n) => n.addr).join('\n'));
  await create.previewButton.click();
  await expect(create.error).toContainText(`the cluster create job ${jobId} made`);

  await create.configId.fill('made');
  await create.configName.fill('Made in the UI');
  // The login came from a cluster whose password is in the config: it is not copied, a variable must name it.
  await create.addToConfig.click();
  await expect(create.configError).toContainText('give passwordEnv');
  await create.passwordEnv.fill('E2E_CREATE_PW');
  await create.addToConfig.click();
  await expect(create.added).toContainText('the dashboard polls it now');
  await create.added.getByRole('link').click();
  await expect(page).toHaveURL(/\/clusters\/made$/);
  await expect(page.getByText('Made in the UI').first()).toBeVisible();
});
