// A real cluster plus the built standalone dashboard, started by each spec file and stopped by PID.
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type DevCluster, type DevClusterOptions, startDevCluster, waitFor } from '../../scripts/devcluster/cluster';

export const SERVER_JS = path.resolve('.next/standalone/server.js');

export interface Stack {
  dev: DevCluster;
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

export interface ServerRun {
  child: ChildProcess;
  exited: Promise<number | null>;
  baseURL: string;
}

export async function startServer(
  configPath: string,
  logPath: string,
  env: Record<string, string> = {},
): Promise<ServerRun> {
  if (!existsSync(SERVER_JS)) throw new Error('no standalone build: run `npm run build` first');
  const port = await freeHttpPort();
  const log = createWriteStream(logPath, { flags: 'a' });
  const child = spawn(process.execPath, [SERVER_JS], {
    env: {
      ...process.env,
      PORT: String(port),
      HOSTNAME: '127.0.0.1',
      NEXT_TELEMETRY_DISABLED: '1',
      DASHBOARD_CONFIG: configPath,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, baseURL: `http://127.0.0.1:${port}` };
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
  cluster?: Partial<DevClusterOptions>;
  /** Extra clusters for the config file (e.g. one with a wrong password). */
  extraClusters?: (dev: DevCluster) => object[];
  pollIntervalMs?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dev = await startDevCluster({
    masters: 3,
    replicasPerMaster: 1,
    hosts: ['127.0.0.1', '127.0.0.2', '127.0.0.3'],
    nodeTimeoutMs: 2000,
    ...options.cluster,
  });
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
      },
      ...(options.extraClusters?.(dev) ?? []),
    ],
  };
  const configPath = path.join(dir, 'dashboard.config.json');
  const logPath = path.join(dir, 'server.log');
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const run = await startServer(configPath, logPath);
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
    await waitForHttp(`${run.baseURL}/api/clusters/${clusterId}/snapshot`, (r) => r.status === 200);
  } catch (err) {
    await stopServer();
    await dev.stop();
    throw new Error(
      `dashboard did not come up: ${(err as Error).message}\n${await readFile(logPath, 'utf8').catch(() => '')}`,
    );
  }
  return {
    dev,
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
