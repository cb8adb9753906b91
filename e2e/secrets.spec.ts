import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ClusterPage } from './pages/ClusterPage';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

const PASSWORD = `e2e-pw-${randomBytes(6).toString('hex')}`;
const WRONG_PASSWORD = `wrong-pw-${randomBytes(6).toString('hex')}`;
let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack({
    cluster: { password: PASSWORD },
    extraClusters: (dev) => [
      { id: 'badauth', name: 'Wrong password', seeds: [dev.nodes[1]?.addr], password: WRONG_PASSWORD },
    ],
  });
});
test.afterAll(async () => {
  await stack?.stop();
});

/** Redis passwords, the users' passwords and bcrypt hashes, the kiosk and metrics tokens, the session secret. */
function secrets(): Array<[string, string]> {
  return [
    ['a Redis password', PASSWORD],
    ['a Redis password', WRONG_PASSWORD],
    ...Object.values(stack.passwords).map((p): [string, string] => ['a user password', p]),
    ...stack.hashes.map((h): [string, string] => ['a password hash', h]),
    ['the kiosk token', stack.kioskToken],
    ['the metrics token', stack.metricsToken],
    ['the session secret', stack.env.DASHBOARD_SESSION_SECRET ?? 'unset'],
  ];
}

function expectNoSecret(where: string, text: string) {
  for (const [what, secret] of secrets()) expect(text.includes(secret), `${where} contains ${what}`).toBe(false);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test('a wrong password shows a clear error, and the server keeps serving', async ({ page }) => {
  await loginAs(page.request, stack, 'viewer');
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/badauth`);
  await expect(cluster.state).toHaveAttribute('data-state', 'unknown');
  await expect(cluster.unidentified).toContainText('authentication failed');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.nodeRows).toHaveCount(6);
  await expect(cluster.state).toHaveAttribute('data-state', 'ok');
});

test('no Redis password or password hash in any API response, page, browser download, static file, audit or server log, or the database', async ({
  page,
}) => {
  // The ways a secret used to reach the audit log: a password typed into the user name field, a secret sent under
  // a key that does not look secret, a token in a body that fails validation.
  const origin = { origin: stack.baseURL };
  await page.request.post(`${stack.baseURL}/api/auth/login`, {
    headers: origin,
    data: { username: stack.passwords.admin, password: 'not-it' },
  });
  await page.request.post(`${stack.baseURL}/api/auth/login`, {
    headers: origin,
    data: { username: 'admin', password: stack.passwords.admin, note: stack.kioskToken },
  });
  await page.request.post(`${stack.baseURL}/api/auth/login`, {
    headers: origin,
    data: { username: stack.metricsToken, password: stack.hashes[0] },
  });
  await page.request.get(`${stack.baseURL}/api/auth/kiosk?token=${stack.metricsToken}`, { maxRedirects: 0 });
  await loginAs(page.request, stack, 'admin');
  await page.request.post(`${stack.baseURL}/api/clusters/${stack.clusterId}/targets/check`, {
    headers: origin,
    data: { addr: PASSWORD, comment: stack.kioskToken },
  });
  const node = stack.dev.nodes[0]?.id ?? '';
  const urls = [
    '/api/health',
    '/api/auth/session',
    '/api/clusters',
    `/api/clusters/${stack.clusterId}/snapshot`,
    `/api/clusters/${stack.clusterId}/nodes/${node}`,
    `/api/clusters/${stack.clusterId}/nodes/${node}/slowlog`,
    '/api/clusters/badauth/snapshot',
    '/api/clusters/nope/snapshot',
    '/api/audit',
    '/api/audit/export',
    '/',
    '/wall',
    '/audit',
    `/clusters/${stack.clusterId}`,
    `/clusters/${stack.clusterId}/nodes/${node}`,
    '/clusters/badauth',
    '/clusters/nope',
    '/login',
  ];
  for (const url of urls) {
    const response = await page.request.get(`${stack.baseURL}${url}`);
    expect(response.status(), url).toBeLessThan(500);
    expectNoSecret(url, await response.text());
  }
  const seen: string[] = [];
  page.on('response', async (response) => {
    const body = await response.body().catch(() => Buffer.alloc(0));
    seen.push(response.url());
    expectNoSecret(response.url(), body.toString('latin1'));
  });
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(new ClusterPage(page).nodeRows).toHaveCount(6);
  await page.goto(`${stack.baseURL}/clusters/badauth`);
  await expect(new ClusterPage(page).unidentified).toBeVisible();
  await page.goto(`${stack.baseURL}/audit`);
  await expect(page.getByTestId('audit-table')).toBeVisible();
  expect(seen.some((u) => u.includes('/_next/static/'))).toBe(true);

  const staticFiles = await filesUnder(path.resolve('.next/static'));
  expect(staticFiles.length).toBeGreaterThan(0);
  for (const file of staticFiles) expectNoSecret(file, await readFile(file, 'latin1'));

  expectNoSecret('audit log', await readFile(stack.auditPath, 'utf8'));
  // The dashboard's database (jobs, journal, timeline, revocations) and its write-ahead log.
  const stored = await filesUnder(path.join(stack.dir, 'dashboard-data'));
  expect(stored.map((f) => path.basename(f))).toContain('dashboard.sqlite3');
  for (const file of stored) expectNoSecret(file, await readFile(file, 'latin1'));
  const log = await stack.serverLog();
  expect(log).toContain('polling e2e, badauth');
  expectNoSecret('server log', log);
});
