import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freeNodePort } from './ports';

export interface NodeSpec {
  host: string;
  /** Fixed port; omitted = a free one is picked (and re-picked if another process wins the race). */
  port?: number;
  dir: string;
  password?: string;
  nodeTimeoutMs: number;
  extraConfig?: Record<string, string>;
  /**
   * rename-command lines, as a hardened template writes them: { CONFIG: 'CONFIG_{port}', FLUSHALL: '' } ("{port}" is
   * this node's port; "" disables the command).
   */
  renameCommands?: Record<string, string>;
  /** The server binary (e.g. valkey-server from ../shared/servers/valkey.sh); default redis-server from PATH. */
  serverBin?: string;
}

export interface RedisProcess {
  host: string;
  port: number;
  pid: number;
  dir: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  serverBin?: string;
}

const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  // Last resort when the owner crashed before stop(): never leave redis-server processes behind.
  for (const child of liveChildren) if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

function configText(spec: NodeSpec, port: number, dir: string): string {
  const lines: Record<string, string> = {
    port: String(port),
    bind: spec.host,
    'protected-mode': 'no',
    'cluster-enabled': 'yes',
    'cluster-config-file': 'nodes.conf',
    'cluster-node-timeout': String(spec.nodeTimeoutMs),
    'cluster-announce-ip': spec.host,
    'bind-source-addr': spec.host,
    dir,
    logfile: path.join(dir, 'redis.log'),
    save: '""',
    appendonly: 'no',
    'enable-debug-command': 'local',
    ...spec.extraConfig,
  };
  if (spec.password) {
    lines.requirepass = spec.password;
    lines.masterauth = spec.password;
  }
  const renames = Object.entries(spec.renameCommands ?? {}).map(
    ([command, name]) => `rename-command ${command} ${name === '' ? '""' : name.replaceAll('{port}', String(port))}`,
  );
  return `${[...Object.entries(lines).map(([k, v]) => `${k} ${v}`), ...renames].join('\n')}\n`;
}

async function waitForPing(host: string, port: number, password: string | undefined, exited: Promise<number | null>) {
  // Generous: 100 nodes started at once on a busy 2-core machine can take over 10 s to answer their first PING.
  const deadline = Date.now() + 30_000;
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (Date.now() < deadline && !gone) {
    const client = new Redis({
      host,
      port,
      password,
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      disableClientInfo: true,
      protocol: 2,
      connectTimeout: 500,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
  return false;
}

function spawnServer(dir: string, serverBin = 'redis-server') {
  const child = spawn(serverBin, [path.join(dir, 'redis.conf')], { cwd: dir, stdio: 'ignore' });
  liveChildren.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      liveChildren.delete(child);
      resolve(code);
    });
    child.once('error', () => resolve(-1));
  });
  return { child, exited };
}

async function startOnce(spec: NodeSpec, port: number): Promise<RedisProcess | 'port-taken'> {
  const dir = path.join(spec.dir, `${spec.host}-${port}`);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'redis.conf'), configText(spec, port, dir));
  const { child, exited } = spawnServer(dir, spec.serverBin);
  if (await waitForPing(spec.host, port, spec.password, exited)) {
    if (child.pid === undefined) throw new Error('redis-server started without a pid');
    return { host: spec.host, port, pid: child.pid, dir, child, exited, serverBin: spec.serverBin };
  }
  child.kill('SIGKILL');
  await exited;
  const log = await readFile(path.join(dir, 'redis.log'), 'utf8').catch(() => '');
  if (/address already in use/i.test(log)) return 'port-taken';
  throw new Error(
    `redis-server ${spec.host}:${port} did not start: ${log.trim().split('\n').slice(-3).join(' | ') || 'no log'}`,
  );
}

export async function startRedisProcess(spec: NodeSpec): Promise<RedisProcess> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = spec.port ?? (await freeNodePort());
    const started = await startOnce(spec, port);
    if (started !== 'port-taken') return started;
    if (spec.port !== undefined) throw new Error(`port ${spec.host}:${spec.port} is taken`);
  }
  throw new Error(`could not find a free port for a node on ${spec.host}`);
}

/** Start a stopped node again from its own redis.conf and nodes.conf (same id, same port). */
export async function restartRedisProcess(node: RedisProcess, password?: string): Promise<RedisProcess> {
  if (node.child.exitCode === null && node.child.signalCode === null)
    throw new Error(`${node.host}:${node.port} is still running`);
  const { child, exited } = spawnServer(node.dir, node.serverBin);
  if (!(await waitForPing(node.host, node.port, password, exited)) || child.pid === undefined) {
    child.kill('SIGKILL');
    throw new Error(`redis-server ${node.host}:${node.port} did not restart`);
  }
  return { ...node, pid: child.pid, child, exited };
}

/** SIGTERM, then SIGKILL after a grace period. Only the process we started, by its PID. */
export async function stopRedisProcess(node: RedisProcess, graceMs = 3000): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill('SIGCONT');
  node.child.kill('SIGTERM');
  const timer = setTimeout(() => node.child.kill('SIGKILL'), graceMs);
  await node.exited;
  clearTimeout(timer);
}
