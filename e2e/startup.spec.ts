import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startServer, waitForHttp } from './support/stack';

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

test('a dataDir that is a file stops start-up naming the field', async () => {
  await writeFile(path.join(dir, 'not-a-folder'), 'x');
  const { code, log } = await startWith(
    JSON.stringify({ clusters: [{ id: 'a', name: 'A', seeds: ['127.0.0.1:7000'] }], dataDir: './not-a-folder' }),
    'datadir-file',
  );
  expect(code).toBe(2);
  expect(log).toContain(`dataDir: ${path.join(dir, 'not-a-folder')} is not a folder`);
});

test('the data folder is created 0700 beside the config file, and an existing wider one is narrowed, saying so', async () => {
  const config = JSON.stringify({ clusters: [{ id: 'a', name: 'A', seeds: ['127.0.0.1:7000'] }] });
  const configPath = path.join(dir, 'datadir.json');
  await writeFile(configPath, config);
  const started = async (name: string) => {
    const logPath = path.join(dir, `${name}.log`);
    const run = await startServer(configPath, logPath, SECRET);
    try {
      await waitForHttp(`${run.baseURL}/api/health`, (r) => r.status === 200);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    return readFile(logPath, 'utf8');
  };
  const dataDir = path.join(dir, 'dashboard-data');
  expect(await started('datadir-created')).toContain(`[store] created data folder ${dataDir} (mode 0700)`);
  expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
  expect((await stat(path.join(dataDir, 'dashboard.sqlite3'))).mode & 0o777).toBe(0o600);

  await chmod(dataDir, 0o755);
  expect(await started('datadir-narrowed')).toContain(
    `[store] data folder ${dataDir} was mode 0755: narrowed to 0700 (it holds job history and session revocations)`,
  );
  expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
});

test("started without the dashboard's own entry, production refuses to run (no client address would be known)", async () => {
  const configPath = path.join(dir, 'no-front.json');
  await writeFile(configPath, JSON.stringify({ clusters: [{ id: 'a', name: 'A', seeds: ['127.0.0.1:7000'] }] }));
  // Next's own entry, as `npm run build` leaves it beside ours: what `next start`-like launches would run.
  const child = spawn(process.execPath, [path.resolve('.next/standalone/next-server.js')], {
    env: { ...process.env, ...SECRET, PORT: '0', HOSTNAME: '127.0.0.1', DASHBOARD_CONFIG: configPath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  expect(code).toBe(2);
  expect(log).toContain('started without its own entry');
});
