import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { AuditPage } from './pages/AuditPage';
import { loginAs, type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack();
});
test.afterAll(async () => {
  await stack?.stop();
});

const oldEntry = (n: number) =>
  JSON.stringify({
    at: `2025-01-01T00:00:00.${String(n).padStart(3, '0')}Z`,
    user: 'admin',
    role: 'admin',
    action: `old.${n}`,
    result: 'ok',
    status: 200,
    durationMs: 1,
  });

test('a rotated log: the page shows the newest entries and says what is left out; the export has every file', async ({
  page,
}) => {
  // As rotation leaves it: <path>.1 holds older lines.
  await writeFile(`${stack.auditPath}.1`, `${Array.from({ length: 600 }, (_, i) => oldEntry(i)).join('\n')}\n`);
  await loginAs(page.request, stack, 'admin');
  const audit = new AuditPage(page);
  await audit.goto(stack.baseURL);
  await expect(audit.rows).toHaveCount(500);
  await expect(audit.rows.first()).toContainText('auth.login');
  await expect(audit.coverage).toContainText([
    'The newest 500 entries are shown; older ones are in the export.',
    'The log has been rotated: 1 older file next to the current one; the export includes it, oldest first.',
  ]);

  const api = await page.request.get(`${stack.baseURL}/api/audit?limit=1000`);
  expect(api.status()).toBe(200);
  expect(api.headers()['x-audit-older-files']).toBe('1');
  expect(api.headers()['x-audit-truncated']).toBe('false');
  const entries = (await api.json()) as Array<{ action: string }>;
  expect(entries.at(-1)?.action).toBe('old.0');

  const exported = await page.request.get(`${stack.baseURL}/api/audit/export`);
  expect(exported.headers()['x-audit-files']).toBe('2');
  const lines = (await exported.text()).trim().split('\n');
  expect(lines[0]).toBe(oldEntry(0));
  expect(lines.slice(600).map((l) => JSON.parse(l).action)).toContain('auth.login');
});

test('a password typed as the user name on the login page does not reach the audit log', async ({ page }) => {
  await page.goto(`${stack.baseURL}/login`);
  await page.getByLabel('User name').fill(stack.passwords.admin);
  await page.getByLabel('Password').fill('something else');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('login-error')).toBeVisible();
  const text = await readFile(stack.auditPath, 'utf8');
  expect(text).not.toContain(stack.passwords.admin);
  expect(JSON.parse(text.trim().split('\n').at(-1) ?? '')).toMatchObject({
    action: 'auth.login',
    user: '(unknown user name)',
    result: 'refused',
  });
});

test('the page narrows to one result and to a user or action, in the URL', async ({ page }) => {
  await loginAs(page.request, stack, 'admin');
  // One refusal by the viewer, so there is a refused line of a known user next to the admin's successful ones.
  await loginAs(page.request, stack, 'viewer');
  await page.request.post(`${stack.baseURL}/api/clusters/${stack.clusterId}/targets/check`, {
    headers: { origin: stack.baseURL },
    data: { addr: '127.0.0.1:1' },
  });
  await loginAs(page.request, stack, 'admin');
  const audit = new AuditPage(page);
  await page.goto(`${stack.baseURL}/audit?result=refused&q=viewer`);
  await expect(audit.rows.first()).toBeVisible();
  for (const row of await audit.rows.all()) {
    await expect(row).toContainText('refused');
    await expect(row).toContainText('viewer');
  }
  await expect(page.getByTestId('audit-filter-count')).toContainText('match');
  await page.goto(`${stack.baseURL}/audit?result=failed&q=no-such-user-xyz`);
  await expect(page.getByText('No entry matches the filter.')).toBeVisible();
});

test('an unreadable log is an error on the page and from the API, never "No entries yet"', async ({ page }) => {
  await loginAs(page.request, stack, 'admin');
  await rm(stack.auditPath);
  await mkdir(stack.auditPath);
  try {
    const audit = new AuditPage(page);
    await audit.goto(stack.baseURL);
    await expect(audit.error).toContainText('The audit log cannot be read: EISDIR');
    await expect(page.getByText('No entries yet')).toHaveCount(0);
    await expect(audit.table).toHaveCount(0);
    for (const path of ['/api/audit', '/api/audit/export']) {
      const response = await page.request.get(`${stack.baseURL}${path}`);
      expect(response.status(), path).toBe(500);
      expect((await response.json()).error.message, path).toContain('the audit log cannot be read: EISDIR');
    }
  } finally {
    await rm(stack.auditPath, { recursive: true });
  }
});

test('a flood of wrong kiosk tokens writes a few dozen lines, not one per request', async () => {
  const before = (await readFile(stack.auditPath, 'utf8').catch(() => '')).split('\n').length;
  for (let i = 0; i < 500; i++) {
    const response = await fetch(`${stack.baseURL}/api/auth/kiosk?token=wrong-${i}`, { redirect: 'manual' });
    expect([401, 429]).toContain(response.status);
  }
  const after = (await readFile(stack.auditPath, 'utf8')).split('\n').length;
  expect(after - before).toBeLessThanOrEqual(31);
});
