import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { ClusterPage } from './pages/ClusterPage';
import { type Stack, startStack } from './support/stack';

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

function expectNoSecret(where: string, text: string) {
  for (const secret of [PASSWORD, WRONG_PASSWORD])
    expect(text.includes(secret), `${where} contains a Redis password`).toBe(false);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

test('a wrong password shows a clear error, and the server keeps serving', async ({ page }) => {
  const cluster = new ClusterPage(page);
  await page.goto(`${stack.baseURL}/clusters/badauth`);
  await expect(cluster.state).toHaveAttribute('data-state', 'unknown');
  await expect(cluster.unidentified).toContainText('authentication failed');
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(cluster.nodeRows).toHaveCount(6);
  await expect(cluster.state).toHaveAttribute('data-state', 'ok');
});

test('no Redis password in any API response, page, browser download, static file or server log', async ({ page }) => {
  const urls = [
    '/api/health',
    '/api/clusters',
    `/api/clusters/${stack.clusterId}/snapshot`,
    '/api/clusters/badauth/snapshot',
    '/api/clusters/nope/snapshot',
    '/',
    `/clusters/${stack.clusterId}`,
    '/clusters/badauth',
    '/clusters/nope',
  ];
  for (const url of urls) {
    const response = await fetch(`${stack.baseURL}${url}`);
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
  expect(seen.some((u) => u.includes('/_next/static/'))).toBe(true);

  const staticFiles = await filesUnder(path.resolve('.next/static'));
  expect(staticFiles.length).toBeGreaterThan(0);
  for (const file of staticFiles) expectNoSecret(file, await readFile(file, 'latin1'));

  const log = await stack.serverLog();
  expect(log).toContain('polling e2e, badauth');
  expectNoSecret('server log', log);
});
