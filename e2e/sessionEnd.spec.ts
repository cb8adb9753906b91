import { randomBytes } from 'node:crypto';
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { waitFor } from '../scripts/test/helpers';
import { editConfig, loginAs, type Stack, startStack } from './support/stack';

// What a browser shows when its session ends, when it has more cluster tabs than live streams, and when a login or a
// kiosk link is refused: plain words, never a cluster outage.
test.describe.configure({ mode: 'serial' });

let stack: Stack;

test.beforeAll(async () => {
  stack = await startStack({ pollIntervalMs: 1000 });
});
test.afterAll(async () => {
  await stack?.stop();
});

const clusterPage = () => `${stack.baseURL}/clusters/${stack.clusterId}`;

async function openClusterTab(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(clusterPage());
  await expect(page.getByTestId('live')).toBeVisible();
  return page;
}

test('a wrong kiosk link opened in a browser reads as a page, without the token; scripts keep the JSON', async () => {
  const token = `wrong-${randomBytes(9).toString('base64url')}`;
  const url = `${stack.baseURL}/api/auth/kiosk?token=${token}&next=/wall`;
  const page = await fetch(url, {
    headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    redirect: 'manual',
  });
  expect(page.status).toBe(401);
  expect(page.headers.get('content-type')).toContain('text/html');
  const html = await page.text();
  expect(html).toContain('This kiosk link is not valid (the token was replaced or mistyped)');
  expect(html).not.toContain(token);
  expect(html).not.toContain('<script');

  const api = await fetch(url, { headers: { accept: 'application/json' }, redirect: 'manual' });
  expect(api.status).toBe(401);
  expect(await api.json()).toEqual({ error: { code: 'unauthenticated', message: 'wrong or no kiosk token' } });
});

test('after 5 wrong passwords the login form counts the wait down with the button disabled, then lets you try again', async ({
  page,
}) => {
  const wrong = () =>
    fetch(`${stack.baseURL}/api/auth/login`, {
      method: 'POST',
      headers: { origin: stack.baseURL, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: `wrong-${randomBytes(6).toString('hex')}` }),
    });
  for (let i = 0; i < 5; i++) expect((await wrong()).status).toBe(401);
  // Two more wrong passwords, each once the wait allows it: the wait doubles to 4 s, long enough to watch.
  for (let i = 0; i < 2; i++)
    await waitFor(
      'a wrong password checked again',
      async () => ((await wrong()).status === 401 ? true : undefined),
      10_000,
    );

  await page.goto(`${stack.baseURL}/login`);
  await page.getByLabel('User name').fill('admin');
  await page.getByLabel('Password').fill('still wrong');
  const button = page.getByRole('button', { name: 'Log in' });
  await button.click();
  const wait = page.getByTestId('login-wait');
  await expect(wait).toContainText(
    /Your password was not checked: too many failed attempts from here\. Try again in \d+ s\./,
  );
  await expect(button).toBeDisabled();
  const first = Number(await wait.getAttribute('data-seconds'));
  expect(first).toBeGreaterThanOrEqual(2);
  // It counts down, then the button comes back.
  await expect(wait).toHaveAttribute('data-seconds', String(first - 1), { timeout: 3000 });
  await expect(button).toBeEnabled({ timeout: 10_000 });
  await expect(wait).toBeHidden();
});

test('five cluster tabs in one browser: three stream, the others poll and say why; requests still get through', async ({
  browser,
}) => {
  const context = await browser.newContext();
  try {
    await loginAs(context.request, stack, 'viewer');
    const tabs: Page[] = [];
    for (let i = 0; i < 5; i++) tabs.push(await openClusterTab(context));
    const [first, , , fourth, fifth] = tabs;
    if (!first || !fourth || !fifth) throw new Error('tabs missing');
    for (const tab of tabs.slice(0, 3)) await expect(tab.getByTestId('live')).toHaveAttribute('data-live', 'true');
    for (const tab of [fourth, fifth]) {
      await expect(tab.getByTestId('live-capped')).toHaveText(
        'live updates: polling every 1 s — 3 live tabs already open in this browser',
      );
      await expect(tab.getByTestId('live')).toHaveAttribute('data-live', 'false');
    }
    await expect(first.getByTestId('live-capped')).toHaveCount(0);
    // A polling tab keeps getting snapshots.
    const polled = await fifth.waitForResponse(
      (r) => r.url().endsWith(`/api/clusters/${stack.clusterId}/snapshot`) && r.status() === 200,
      { timeout: 5000 },
    );
    expect(polled.ok()).toBe(true);
    // The first tab's requests are not queued behind the streams.
    const started = Date.now();
    const status = await first.evaluate(async () => (await fetch('/api/jobs?clusterId=e2e')).status);
    expect(status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
    // Closing a live tab frees its place: a polling tab goes live within its retry.
    await tabs[1]?.close();
    await waitFor(
      'a polling tab to go live',
      async () => {
        for (const tab of [fourth, fifth])
          if ((await tab.getByTestId('live').getAttribute('data-live')) === 'true') return true;
        return undefined;
      },
      20_000,
    );
  } finally {
    await context.close();
  }
});

test('logging out in one tab: the other tab says the session has ended, with a login link, not UNKNOWN', async ({
  browser,
}) => {
  const context = await browser.newContext();
  try {
    await loginAs(context.request, stack, 'operator');
    const here = await openClusterTab(context);
    const other = await openClusterTab(context);
    await expect(other.getByTestId('live')).toHaveAttribute('data-live', 'true');
    await here.getByRole('button', { name: 'Log out' }).click();

    const ended = other.getByTestId('session-ended');
    await expect(ended).toContainText('Your session has ended (logged out, or your account or password changed).', {
      timeout: 10_000,
    });
    await expect(other.getByTestId('session-ended-login')).toHaveAttribute(
      'href',
      `/login?next=${encodeURIComponent(`/clusters/${stack.clusterId}`)}`,
    );
    await expect(other.getByText(/UNKNOWN|Redis says/)).toHaveCount(0);
    await expect(other.locator('#nodes-heading')).toHaveCount(0);
    // It stops asking: no request to the API in the next two polls' time (an absence can only be watched for a while).
    const asked: string[] = [];
    other.on('request', (r) => {
      if (r.url().includes('/api/')) asked.push(r.url());
    });
    await other.waitForTimeout(2500);
    expect(asked).toEqual([]);
  } finally {
    await context.close();
  }
});

test('a wall screen whose kiosk token was replaced says its link is no longer valid, not UNKNOWN', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    const wall = await context.newPage();
    await wall.goto(`${stack.baseURL}/wall?kiosk=${encodeURIComponent(stack.kioskToken)}`);
    await expect(wall.getByTestId('wall-tile')).toHaveAttribute('data-health', 'ok');

    const next = randomBytes(18).toString('base64url');
    await editConfig(stack, (config) => {
      config.kioskToken = next;
    });
    stack.kioskToken = next;

    const ended = wall.getByTestId('session-ended');
    await expect(ended).toContainText(
      "This screen's kiosk link is no longer valid (the token was replaced, or the session expired). Open the new kiosk link.",
      { timeout: 15_000 },
    );
    await expect(wall.getByTestId('wall-tile')).toHaveCount(0);
    // Readable across a room: at least 5 % of the screen's height.
    const size = await ended.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(1080 * 0.05);
  } finally {
    await context.close();
  }
});
