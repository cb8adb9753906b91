import net from 'node:net';
import { expect, test } from '@playwright/test';
import { keyHashSlot } from '../lib/redis/crc16';
import { connectTo } from '../scripts/devcluster/cluster';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

const XSS_KEY = '<img src=x onerror=alert(1)>';
// Redis refuses spaces in client names, so the same payload is written without them.
const XSS_CLIENT_NAME = '<img/src=x/onerror=alert(2)>';
let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack({ clusterConfig: { allowedTargets: ['127.0.0.9/32'] } });
});
test.afterAll(async () => {
  await stack?.stop();
});

test('a key name and a client name holding HTML render as text on the node page; no dialog fires', async ({ page }) => {
  const slot = keyHashSlot(XSS_KEY);
  await loginAs(page.request, stack, 'viewer');
  const snapshot: { nodes: Array<{ id: string; role: string; slots: Array<[number, number]> }> } = await (
    await page.request.get(`${stack.baseURL}/api/clusters/${stack.clusterId}/snapshot`)
  ).json();
  const owner = snapshot.nodes.find((n) => n.role === 'master' && n.slots.some(([a, b]) => slot >= a && slot <= b));
  const dev = stack.dev.nodes.find((n) => n.id === owner?.id);
  if (!dev) throw new Error(`no master owns slot ${slot}`);
  const writer = connectTo(dev.host, dev.port, stack.dev.password);
  try {
    await stack.dev.client(dev).call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
    await writer.call('CLIENT', 'SETNAME', XSS_CLIENT_NAME);
    await writer.call('SET', XSS_KEY, 'v');
    await stack.dev.client(dev).call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
  } finally {
    writer.disconnect();
  }
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}/nodes/${dev.id}`);
  const row = page.getByTestId('slowlog-row').filter({ hasText: XSS_KEY });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`SET ${XSS_KEY} v`);
  await expect(row).toContainText(XSS_CLIENT_NAME);
  await expect(page.getByTestId('slowlog-table').locator('img')).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test('a target outside the allow-list is refused with a clear error and receives nothing', async ({ request }) => {
  const connections: string[] = [];
  const trap = net.createServer((socket) => {
    connections.push(String(socket.remoteAddress));
    socket.destroy();
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const address = trap.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  try {
    await loginAs(request, stack, 'admin');
    const response = await request.post(`${stack.baseURL}/api/clusters/${stack.clusterId}/targets/check`, {
      headers: { origin: stack.baseURL },
      data: { addr: `127.0.0.1:${port}` },
    });
    expect(response.status()).toBe(403);
    const body = await response.json();
    expect(body.error.code).toBe('target_not_allowed');
    expect(body.error.message).toMatch(/neither a member .* nor inside its allowedTargets; nothing was sent to it/);
    await new Promise((r) => setTimeout(r, 300));
    expect(connections).toEqual([]);
  } finally {
    trap.close();
  }
});

test('a target inside the allow-list is checked, and a member is recognised', async ({ request }) => {
  await loginAs(request, stack, 'admin');
  const fresh = await stack.dev.startEmptyNode('127.0.0.9');
  const check = (addr: string) =>
    request.post(`${stack.baseURL}/api/clusters/${stack.clusterId}/targets/check`, {
      headers: { origin: stack.baseURL },
      data: { addr },
    });
  const allowed = await check(fresh.addr);
  expect(allowed.status()).toBe(200);
  expect(await allowed.json()).toMatchObject({
    addr: fresh.addr,
    member: false,
    reachable: true,
    clusterEnabled: true,
    knownNodes: 1,
    nodeId: fresh.id,
    readyToJoin: true,
  });
  const member = stack.dev.nodes[0];
  const memberCheck = await check(member?.addr ?? '');
  expect(await memberCheck.json()).toMatchObject({ member: true, reachable: true, readyToJoin: false });
});

test('an admin changes cluster-node-timeout on every node with the typed cluster name; an operator cannot', async ({
  playwright,
}) => {
  const url = `${stack.baseURL}/api/clusters/${stack.clusterId}/config/node-timeout`;
  const operator = await playwright.request.newContext();
  const admin = await playwright.request.newContext();
  try {
    await loginAs(operator, stack, 'operator');
    await loginAs(admin, stack, 'admin');
    const data = { timeoutMs: 3100, confirm: 'E2E cluster' };
    expect((await operator.post(url, { headers: { origin: stack.baseURL }, data })).status()).toBe(403);
    const response = await admin.post(url, { headers: { origin: stack.baseURL }, data });
    expect(response.status()).toBe(200);
    const result = await response.json();
    expect(result.nodes).toHaveLength(6);
    expect(result.nodes.every((n: { ok: boolean; rewritten: boolean }) => n.ok && n.rewritten)).toBe(true);
    for (const node of stack.dev.nodes.filter((n) => n.role !== 'empty')) {
      expect(await stack.dev.client(node).call('CONFIG', 'GET', 'cluster-node-timeout')).toEqual([
        'cluster-node-timeout',
        '3100',
      ]);
    }
  } finally {
    await operator.dispose();
    await admin.dispose();
  }
});

test('the kiosk token opens the wall and the overview read-only, and nothing else', async ({ page }) => {
  await page.goto(`${stack.baseURL}/wall?kiosk=${encodeURIComponent(stack.kioskToken)}`);
  await expect(page).toHaveURL(`${stack.baseURL}/wall`);
  await expect(page.getByTestId('wall-tile')).toHaveAttribute('data-health', 'ok');
  // The wall is full screen: no app header there; the other pages say who is looking.
  await expect(page.getByTestId('whoami')).toHaveCount(0);
  // The overview's cards are not links: the cluster page shows more than the wall, and needs a viewer.
  await page.goto(`${stack.baseURL}/`);
  await expect(page.getByTestId('whoami')).toContainText('wall screen');
  await expect(page.getByTestId('cluster-card')).toHaveAttribute('data-health', 'ok');
  await expect(page.getByTestId('cluster-list').getByRole('link')).toHaveCount(0);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(page.getByTestId('forbidden')).toBeVisible();
  for (const path of ['/api/audit', `/api/clusters/${stack.clusterId}/nodes/${stack.dev.nodes[0]?.id}`]) {
    expect((await page.request.get(`${stack.baseURL}${path}`)).status(), path).toBe(403);
  }
  const post = await page.request.post(`${stack.baseURL}/api/clusters/${stack.clusterId}/targets/check`, {
    headers: { origin: stack.baseURL },
    data: { addr: stack.dev.nodes[0]?.addr },
  });
  expect(post.status()).toBe(403);
  await page.goto(`${stack.baseURL}/audit`);
  await expect(page.getByTestId('forbidden')).toBeVisible();
});

test('a wrong kiosk token opens nothing', async ({ page }) => {
  const response = await page.goto(`${stack.baseURL}/wall?kiosk=wrong-token-wrong-token-wrong`);
  expect(response?.status()).toBe(401);
  expect((await page.request.get(`${stack.baseURL}/api/clusters`)).status()).toBe(401);
});
