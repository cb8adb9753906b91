import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import bcrypt from 'bcryptjs';
import type { ClusterSummary, SnapshotResponse } from '@/lib/api/types';
import { waitFor } from '../scripts/test/helpers';
import { RestartableDashboard } from './support/restartable';
import { editConfig, type Stack, startServer, startStack, writeConfigText } from './support/stack';

// The config file changed under the running standalone server (edited in place, renamed over, SIGHUP): users, tokens
// and clusters take effect without a restart, sessions opened with a credential that is gone end, an invalid file
// changes nothing, and a JSON syntax error is named by its position, never by the text around it.

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

const RELOAD_MS = 10_000;

/** The role a session cookie stands for now, or the HTTP status when it stands for nothing. */
async function roleOf(cookie: string): Promise<string | number> {
  const response = await dash.call(cookie, '/api/auth/session');
  return response.status === 200 ? ((await response.json()) as { role: string }).role : response.status;
}

function refusedWithin(cookie: string, what: string): Promise<true> {
  return waitFor(what, async () => ((await roleOf(cookie)) === 401 ? true : undefined), RELOAD_MS, 100);
}

async function loginWith(username: string, password: string): Promise<Response> {
  return fetch(`${dash.base}/api/auth/login`, {
    method: 'POST',
    headers: { origin: dash.base, 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
}

function kioskSession(token: string): Promise<Response> {
  return fetch(`${dash.base}/api/auth/kiosk?token=${encodeURIComponent(token)}&next=/wall`, { redirect: 'manual' });
}

function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), RELOAD_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** Waits until the server log holds `text` at least `times` times. */
async function logged(text: string, times = 1): Promise<string> {
  return waitFor(
    `the server log to say "${text}"${times > 1 ? ` ${times} times` : ''}`,
    async () => {
      const log = await stack.serverLog();
      return log.split(text).length - 1 >= times ? log : undefined;
    },
    RELOAD_MS,
    100,
  );
}

test('a user removed from the file loses their session within seconds, without a restart', async () => {
  const operator = await dash.login('operator');
  const viewer = await dash.login('viewer');
  expect(await roleOf(operator)).toBe('operator');

  await editConfig(stack, (config) => {
    config.users = config.users.filter((u) => u.name !== 'operator');
  });

  await refusedWithin(operator, "the removed operator's session to be refused");
  expect(await roleOf(viewer)).toBe('viewer');
  expect((await loginWith('operator', stack.passwords.operator)).status).toBe(401);
  await logged('[dashboard] config reloaded (file change): users 3 -> 2 (removed operator)');
});

test('a new password hash ends the sessions opened with the old one; the new password logs in', async () => {
  const admin = await dash.login('admin');
  const password = `admin-new-${randomBytes(6).toString('hex')}`;
  const passwordHash = await bcrypt.hash(password, 10);
  // As an editor saves: a new file renamed over the old one.
  await editConfig(
    stack,
    (config) => {
      for (const user of config.users) if (user.name === 'admin') user.passwordHash = passwordHash;
    },
    'rename',
  );

  await refusedWithin(admin, "the admin's session opened with the old password to be refused");
  expect((await loginWith('admin', stack.passwords.admin)).status).toBe(401);
  const login = await loginWith('admin', password);
  expect(login.status).toBe(204);
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  expect(await roleOf(cookie)).toBe('admin');
  stack.passwords.admin = password;
  const log = await logged('config reloaded (file change): users 2 -> 2 (new password admin)');
  expect(log).not.toContain(passwordHash);
});

test('a replaced kiosk token ends the kiosk sessions the old one opened', async () => {
  const opened = await kioskSession(stack.kioskToken);
  expect(opened.status).toBe(303);
  const kiosk = opened.headers.get('set-cookie')?.split(';')[0] ?? '';
  expect(await roleOf(kiosk)).toBe('kiosk');

  const next = randomBytes(18).toString('base64url');
  await editConfig(stack, (config) => {
    config.kioskToken = next;
  });

  await refusedWithin(kiosk, 'the kiosk session of the replaced token to be refused');
  expect((await kioskSession(stack.kioskToken)).status).toBe(401);
  expect((await kioskSession(next)).status).toBe(303);
  const log = await logged('config reloaded (file change): kioskToken changed');
  expect(log).not.toContain(next);
  expect(log).not.toContain(stack.kioskToken);
  stack.kioskToken = next;
});

test('SIGHUP with an invalid file keeps the running config, and the log names the field', async () => {
  const viewer = await dash.login('viewer');
  const valid = await readFile(stack.configPath, 'utf8');
  // Invalid, and without the viewer: nothing of it may apply.
  await editConfig(stack, (config) => {
    config.users = config.users.filter((u) => u.name !== 'viewer');
    config.sessionTtlHours = 0;
  });
  const refusal = `config not reloaded (file change): ${stack.configPath} is invalid; the running config stays (a restart would stop at start-up, exit 2):\n  - sessionTtlHours: `;
  await logged(refusal);

  stack.server.kill('SIGHUP');
  await logged(refusal.replace('file change', 'SIGHUP'));
  expect(stack.server.exitCode).toBeNull();
  expect(await roleOf(viewer)).toBe('viewer');
  expect((await dash.call(viewer, '/api/health')).status).toBe(200);

  await writeConfigText(stack, valid);
  await logged('config reloaded (file change): no changes');
  expect(await roleOf(viewer)).toBe('viewer');
});

test('a cluster added to the file is listed and polled, a changed one re-polled, a removed one gone', async () => {
  const viewer = await dash.login('viewer');
  const snapshotOf = async (id: string) => {
    const response = await dash.call(viewer, `/api/clusters/${id}/snapshot`);
    return response.status === 200 ? ((await response.json()) as SnapshotResponse) : response.status;
  };
  // The same cluster under a second id: a second poller of its own.
  await editConfig(stack, (config) => {
    const [main] = config.clusters;
    config.clusters.push({ ...main, id: 'e2e-copy', name: 'E2E copy' });
  });
  await waitFor(
    '/api/clusters to list e2e-copy',
    async () => {
      const clusters = await dash.getJson<ClusterSummary[]>(viewer, '/api/clusters');
      return clusters.some((c) => c.id === 'e2e-copy') ? true : undefined;
    },
    RELOAD_MS,
  );
  const copy = await waitFor(
    'a snapshot of e2e-copy',
    async () => {
      const snapshot = await snapshotOf('e2e-copy');
      return typeof snapshot === 'object' ? snapshot : undefined;
    },
    RELOAD_MS,
  );
  expect(copy.summary.nodes).toBe(stack.dev.nodes.length);

  // A viewer's live stream of the changed cluster ends, so the browser reconnects to the new poller.
  const stream = await dash.call(viewer, `/api/clusters/${stack.clusterId}/stream`);
  expect(stream.status).toBe(200);
  const reader = stream.body?.getReader();
  const streamEnded = (async () => {
    while (reader && !(await reader.read()).done) {}
    return true;
  })();
  await editConfig(stack, (config) => {
    const [main] = config.clusters;
    if (main) main.pollIntervalMs = 750;
  });
  expect(await withDeadline(streamEnded, 'the stream of the replaced poller to end')).toBe(true);
  await waitFor(
    'e2e to be polled every 750 ms',
    async () => {
      const snapshot = await snapshotOf(stack.clusterId);
      return typeof snapshot === 'object' && snapshot.pollIntervalMs === 750 ? true : undefined;
    },
    RELOAD_MS,
  );
  await logged('config reloaded (file change): cluster e2e changed (pollIntervalMs)');

  await editConfig(stack, (config) => {
    config.clusters = config.clusters.filter((c) => c.id !== 'e2e-copy');
  });
  await waitFor(
    'e2e-copy to be gone',
    async () => ((await snapshotOf('e2e-copy')) === 404 ? true : undefined),
    RELOAD_MS,
  );
  expect((await dash.getJson<ClusterSummary[]>(viewer, '/api/clusters')).map((c) => c.id)).toEqual([stack.clusterId]);
});

/** The config with a token-like value left unquoted: the JSON syntax error is right at its first character. */
async function configWithBareToken(secret: string): Promise<string> {
  const text = await readFile(stack.configPath, 'utf8');
  const broken = text.replace(JSON.stringify(stack.metricsToken), secret);
  expect(broken).not.toBe(text);
  return broken;
}

test('a JSON syntax error is named by line and column; the text around it never reaches the log', async () => {
  const valid = await readFile(stack.configPath, 'utf8');
  // Starts with a letter that begins no JSON value, so the error is at its first character.
  const secret = `k${randomBytes(18).toString('base64url')}`;
  const broken = await configWithBareToken(secret);
  const line = broken.split('\n').findIndex((l) => l.includes(secret)) + 1;

  await writeConfigText(stack, broken);
  const log = await logged('config not reloaded (file change)', 2);
  expect(log).toMatch(new RegExp(`not valid JSON at line ${line}, column \\d+: expected a value`));
  for (const piece of [secret, secret.slice(0, 8), secret.slice(-8)]) expect(log).not.toContain(piece);
  await writeConfigText(stack, valid);
  await logged('config reloaded (file change): no changes', 2);

  // At start-up too: the same file stops a new server (exit 2) with the position only.
  const startupConfig = path.join(stack.dir, 'broken.config.json');
  await writeFile(startupConfig, broken);
  const startupLog = path.join(stack.dir, 'broken-start.log');
  const run = await startServer(startupConfig, startupLog, stack.env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 20_000);
  expect(await run.exited).toBe(2);
  clearTimeout(timer);
  const text = await readFile(startupLog, 'utf8');
  expect(text).toMatch(new RegExp(`\\(file\\): not valid JSON at line ${line}, column \\d+`));
  for (const piece of [secret, secret.slice(0, 8), secret.slice(-8)]) expect(text).not.toContain(piece);
});

test('sessions outlive a restart, and a logged-out one stays refused', async () => {
  const viewer = await dash.login('viewer');
  const loggedOut = await dash.login('viewer');
  expect((await dash.call(loggedOut, '/api/auth/logout', {})).status).toBe(204);
  expect(await roleOf(loggedOut)).toBe(401);

  await dash.restart('SIGTERM');

  // Same session secret, same password hash: the session's credential version still matches.
  expect(await roleOf(viewer)).toBe('viewer');
  // The revocation is in the data folder's database, not in the process that wrote it.
  expect(await roleOf(loggedOut)).toBe(401);
});
