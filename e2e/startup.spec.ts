import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startServer } from './support/stack';

let dir: string;
test.beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'dashboard-startup-'));
});
test.afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SECRET = { DASHBOARD_SESSION_SECRET: 'startup-test-secret-0123456789abcdef' };

async function startWith(config: string | undefined, name: string, env: Record<string, string> = SECRET) {
  const configPath = path.join(dir, `${name}.json`);
  if (config !== undefined) await writeFile(configPath, config);
  const logPath = path.join(dir, `${name}.log`);
  const run = await startServer(configPath, logPath, env);
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 20_000);
  const code = await run.exited;
  clearTimeout(timer);
  return { code, log: await readFile(logPath, 'utf8') };
}

test('an invalid config stops start-up and names the field and the reason', async () => {
  const { code, log } = await startWith(
    JSON.stringify({ clusters: [{ id: 'a', name: 'A', seeds: ['127.0.0.1'], password: 'startup-secret-pw' }] }),
    'bad-seed',
  );
  expect(code).toBe(2);
  expect(log).toContain('clusters.0.seeds.0: expected "host:port"');
  expect(log).not.toContain('startup-secret-pw');
});

test('a missing config file stops start-up and says how to name one', async () => {
  const { code, log } = await startWith(undefined, 'missing');
  expect(code).toBe(2);
  expect(log).toMatch(/not found; set DASHBOARD_CONFIG/);
});

test('an unset passwordEnv is named', async () => {
  const { code, log } = await startWith(
    JSON.stringify({
      clusters: [{ id: 'a', name: 'A', seeds: ['127.0.0.1:7000'], passwordEnv: 'DASHBOARD_TEST_UNSET_PW' }],
    }),
    'env',
  );
  expect(code).toBe(2);
  expect(log).toContain('clusters.0.passwordEnv: environment variable DASHBOARD_TEST_UNSET_PW is not set or empty');
});

test('production start-up refuses to run without a session secret', async () => {
  const { code, log } = await startWith(
    JSON.stringify({ clusters: [{ id: 'a', name: 'A', seeds: ['127.0.0.1:7000'] }] }),
    'no-secret',
    {},
  );
  expect(code).toBe(2);
  expect(log).toContain('(env) DASHBOARD_SESSION_SECRET: required in production');
});
