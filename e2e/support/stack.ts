// A real cluster plus the built standalone dashboard, started by each spec file and stopped by PID.
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { APIRequestContext } from '@playwright/test';
import bcrypt from 'bcryptjs';
import { type DashboardProcess, spawnDashboard } from '../../scripts/dashboardProcess';
import type { DevCluster, DevClusterOptions } from '../../scripts/devcluster/cluster';
import { type SimCluster, type SimClusterOptions, startSimCluster } from '../../scripts/simcluster/index';
import { startThreeHostCluster, waitFor } from '../../scripts/test/helpers';

export type UserRole = 'viewer' | 'operator' | 'admin';

export interface Stack {
  dev: DevCluster;
  /** Passwords of the configured users, one per role (user name = role). */
  passwords: Record<UserRole, string>;
  /** Their bcrypt hashes, as written to the config file. */
  hashes: string[];
  kioskToken: string;
  metricsToken: string;
  auditPath: string;
  env: Record<string, string>;
  baseURL: string;
  clusterId: string;
  dir: string;
  logPath: string;
  configPath: string;
  server: ChildProcess;
  serverLog(): Promise<string>;
  stopServer(): Promise<void>;
  stop(): Promise<void>;
}

export function freeHttpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type ServerRun = DashboardProcess;

/**
 * A second dashboard process on the same cluster (e.g. with DASHBOARD_READ_ONLY=1); stopped by the caller.
 * `dashboardConfig`: top-level fields that replace those of the stack's config file (e.g. trustedProxies).
 */
export async function startExtraServer(
  stack: Stack,
  env: Record<string, string>,
  dashboardConfig?: Record<string, unknown>,
): Promise<ServerRun> {
  const runId = Date.now();
  let configPath = stack.configPath;
  if (dashboardConfig) {
    configPath = path.join(stack.dir, `dashboard-${runId}.config.json`);
    const base: Record<string, unknown> = JSON.parse(await readFile(stack.configPath, 'utf8'));
    await writeFile(configPath, JSON.stringify({ ...base, ...dashboardConfig }, null, 2));
  }
  const run = await startServer(configPath, path.join(stack.dir, `server-${runId}.log`), {
    ...stack.env,
    ...env,
  });
  await waitForHttp(`${run.baseURL}/api/health`, (r) => r.status === 200);
  return run;
}

export async function startServer(
  configPath: string,
  logPath: string,
  env: Record<string, string> = {},
): Promise<ServerRun> {
  const log = createWriteStream(logPath, { flags: 'a' });
  const run = spawnDashboard({ configPath, port: await freeHttpPort(), env, stdio: ['ignore', 'pipe', 'pipe'] });
  run.child.stdout?.pipe(log);
  run.child.stderr?.pipe(log);
  return run;
}

export async function waitForHttp(url: string, ok: (r: Response) => boolean, timeoutMs = 20_000): Promise<void> {
  await waitFor(
    `${url} to answer`,
    async () => {
      const response = await fetch(url).catch(() => undefined);
      return response && ok(response) ? true : undefined;
    },
    timeoutMs,
    100,
  );
}

export interface StackOptions {
  /** Extra environment for the dashboard (e.g. DASHBOARD_READ_ONLY). */
  env?: Record<string, string>;
  cluster?: Partial<DevClusterOptions>;
  /** Extra clusters for the config file (e.g. one with a wrong password). */
  extraClusters?: (dev: DevCluster) => object[];
  /** Extra fields for the main cluster's config entry (e.g. allowedTargets). */
  clusterConfig?: Record<string, unknown>;
  /** Extra top-level fields for the config file (e.g. trustedProxies, allowedHosts). */
  dashboardConfig?: Record<string, unknown>;
  pollIntervalMs?: number;
  /** More viewers, named viewer-1 … viewer-N, with the viewer's password (each counts its own event streams). */
  extraViewers?: number;
}

/** What the dashboard is pointed at: real nodes (a DevCluster) or simulated ones (scripts/simcluster). */
interface Served {
  nodes: ReadonlyArray<{ addr: string }>;
  password?: string;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dev = await startThreeHostCluster(options.cluster);
  return { ...(await serve(dev, options, options.extraClusters?.(dev) ?? [])), dev };
}

/** The stack's dashboard pointed at a simulated cluster (one process, N nodes: see scripts/simcluster). */
export type SimStack = Omit<Stack, 'dev'> & { sim: SimCluster };

export async function startSimStack(
  cluster: SimClusterOptions,
  options: Omit<StackOptions, 'cluster' | 'extraClusters'> = {},
): Promise<SimStack> {
  const sim = await startSimCluster(cluster);
  return { ...(await serve(sim, options, [])), sim };
}

async function serve(dev: Served, options: StackOptions, extraClusters: object[]): Promise<Omit<Stack, 'dev'>> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'dashboard-e2e-'));
  const clusterId = 'e2e';
  const seed = dev.nodes[0]?.addr ?? '';
  const config = {
    clusters: [
      {
        id: clusterId,
        name: 'E2E cluster',
        seeds: [seed],
        ...(dev.password ? { password: dev.password } : {}),
        pollIntervalMs: options.pollIntervalMs ?? 500,
        nodeDeadlineMs: 500,
        ...options.clusterConfig,
      },
      ...extraClusters,
    ],
  };
  const passwords = {
    viewer: `viewer-${randomBytes(6).toString('hex')}`,
    operator: `operator-${randomBytes(6).toString('hex')}`,
    admin: `admin-${randomBytes(6).toString('hex')}`,
  };
  const users = await Promise.all(
    (Object.keys(passwords) as UserRole[]).map(async (role) => ({
      name: role,
      role,
      passwordHash: await bcrypt.hash(passwords[role], 10),
    })),
  );
  const viewerHash = users.find((u) => u.role === 'viewer')?.passwordHash;
  const extraViewers = Array.from({ length: options.extraViewers ?? 0 }, (_, i) => ({
    name: `viewer-${i + 1}`,
    role: 'viewer',
    passwordHash: viewerHash,
  }));
  const kioskToken = randomBytes(18).toString('base64url');
  const metricsToken = randomBytes(18).toString('base64url');
  const auditPath = path.join(dir, 'audit.log.jsonl');
  const configPath = path.join(dir, 'dashboard.config.json');
  const logPath = path.join(dir, 'server.log');
  await writeFile(
    configPath,
    JSON.stringify(
      {
        ...config,
        users: [...users, ...extraViewers],
        kioskToken,
        metricsToken,
        auditLogPath: auditPath,
        ...options.dashboardConfig,
      },
      null,
      2,
    ),
  );
  const env = { DASHBOARD_SESSION_SECRET: randomBytes(32).toString('base64url'), ...options.env };
  const run = await startServer(configPath, logPath, env);
  let stopped = false;
  const stopServer = async () => {
    if (stopped) return;
    stopped = true;
    run.child.kill('SIGTERM');
    const timer = setTimeout(() => run.child.kill('SIGKILL'), 5000);
    await run.exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(`${run.baseURL}/api/health`, (r) => r.status === 200);
    const login = await fetch(`${run.baseURL}/api/auth/login`, {
      method: 'POST',
      headers: { origin: run.baseURL, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'viewer', password: passwords.viewer }),
    });
    const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
    await waitFor(
      'the first snapshot',
      async () => {
        const r = await fetch(`${run.baseURL}/api/clusters/${clusterId}/snapshot`, { headers: { cookie } });
        return r.status === 200 ? true : undefined;
      },
      20_000,
      100,
    );
  } catch (err) {
    await stopServer();
    await dev.stop();
    throw new Error(
      `dashboard did not come up: ${(err as Error).message}\n${await readFile(logPath, 'utf8').catch(() => '')}`,
    );
  }
  return {
    passwords,
    hashes: users.map((u) => u.passwordHash),
    kioskToken,
    metricsToken,
    auditPath,
    env,
    baseURL: run.baseURL,
    clusterId,
    dir,
    logPath,
    configPath,
    server: run.child,
    serverLog: () => readFile(logPath, 'utf8'),
    stopServer,
    stop: async () => {
      await stopServer();
      await dev.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The stack's config file, for specs that change it while the dashboard runs. */
export interface ConfigFile {
  clusters: Array<Record<string, unknown>>;
  users: Array<{ name: string; role: UserRole; passwordHash: string }>;
  kioskToken?: string;
  [field: string]: unknown;
}

/**
 * Writes the stack's config file: in place (truncated and written, as `cat > file` does), or as editors and config
 * managers do (a new file renamed over it). The running dashboard reloads it on its own.
 */
export async function writeConfigText(stack: Stack, text: string, how: 'in place' | 'rename' = 'in place') {
  if (how === 'in place') return writeFile(stack.configPath, text);
  const next = `${stack.configPath}.${process.pid}.tmp`;
  await writeFile(next, text);
  await rename(next, stack.configPath);
}

/** Reads the stack's config file, changes it with `edit` and writes it back (see writeConfigText). */
export async function editConfig(
  stack: Stack,
  edit: (config: ConfigFile) => void,
  how: 'in place' | 'rename' = 'in place',
): Promise<void> {
  const config = JSON.parse(await readFile(stack.configPath, 'utf8')) as ConfigFile;
  edit(config);
  await writeConfigText(stack, JSON.stringify(config, null, 2), how);
}

/** Logs a browser context (or API context) in as the user of that role; cookies land in the context. */
export async function loginAs(
  request: APIRequestContext,
  stack: Pick<Stack, 'baseURL' | 'passwords'>,
  role: UserRole,
): Promise<void> {
  const response = await request.post(`${stack.baseURL}/api/auth/login`, {
    data: { username: role, password: stack.passwords[role] },
    headers: { origin: stack.baseURL },
  });
  if (response.status() !== 204)
    throw new Error(`login as ${role} failed: ${response.status()} ${await response.text()}`);
}
