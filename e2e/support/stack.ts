// A real cluster plus the built standalone dashboard, started by each spec file and stopped by PID.
import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type DashboardProcess, spawnDashboard } from '../../scripts/dashboardProcess';
import type { DevCluster, DevClusterOptions } from '../../scripts/devcluster/cluster';
import { startThreeHostCluster, waitFor } from '../../scripts/test/helpers';

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

export type ServerRun = DashboardProcess;

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
  cluster?: Partial<DevClusterOptions>;
  /** Extra clusters for the config file (e.g. one with a wrong password). */
  extraClusters?: (dev: DevCluster) => object[];
  pollIntervalMs?: number;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dev = await startThreeHostCluster(options.cluster);
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
