import path from 'node:path';
import { expect, test } from '@playwright/test';
import Database from 'better-sqlite3';
import type { HistoryResponse } from '../lib/history/types';
import { waitFor } from '../scripts/test/helpers';
import { RestartableDashboard } from './support/restartable';
import { type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

let stack: Stack;
let dash: RestartableDashboard;

test.beforeAll(async () => {
  stack = await startStack();
  dash = new RestartableDashboard(stack);
});
test.afterAll(async () => {
  await dash?.stop();
  await stack?.stop();
});

/** Minutes the dashboard has written to its store (read on a connection of the test's own). */
function storedMinutes(): number {
  const db = new Database(path.join(stack.dir, 'dashboard-data', 'dashboard.sqlite3'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return (db.prepare('SELECT COUNT(DISTINCT minute) AS n FROM history_minutes').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

test('the trends charts keep their history across a dashboard restart, and say where it turns to 1-minute means', async ({
  page,
}) => {
  test.setTimeout(300_000);
  // A minute is written once a poll falls in the next one: at most two minutes after the first poll.
  await waitFor(
    'a minute of history in the store',
    async () => (storedMinutes() >= 1 ? true : undefined),
    150_000,
    1000,
  );
  const restartedAt = Date.now();
  await dash.restart('SIGTERM');
  const cookie = await dash.login('viewer');
  const history = await waitFor(
    'a first poll after the restart',
    async () => {
      const h = await dash.getJson<HistoryResponse>(cookie, `/api/clusters/${stack.clusterId}/history?window=15m`);
      return h.nodes.some((n) => (n.t.at(-1) ?? 0) > restartedAt) ? h : undefined;
    },
    30_000,
    250,
  );
  expect(history.minuteAveragesUntil).toBeLessThanOrEqual(restartedAt);
  for (const node of history.nodes) {
    const before = node.t.flatMap((t, i) => (t <= restartedAt ? [node.series.used_memory[i]] : []));
    expect(before.length, `${node.addr}: points from before the restart`).toBeGreaterThan(0);
    expect(before.every((v) => typeof v === 'number' && v > 0)).toBe(true);
  }

  const login = await page.request.post(`${dash.base}/api/auth/login`, {
    data: { username: 'viewer', password: stack.passwords.viewer },
    headers: { origin: dash.base },
  });
  expect(login.status()).toBe(204);
  await page.goto(`${dash.base}/clusters/${stack.clusterId}/trends`);
  await expect(page.getByTestId('resolution-note')).toContainText('1-minute mean');
  const memory = page.locator('[data-testid="shard-chart"][data-metric="used_memory"]');
  await expect(memory.locator('[data-testid="resolution-change"]')).toHaveCount(1);
  await expect(memory.locator('.recharts-area-area').first()).toBeVisible();
});
