import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freeNodePort } from '../devcluster/ports';
import { isRunning, spawnTracked, stopTracked, type TrackedProcess } from './tracked';

export interface SentinelSpec {
  host: string;
  /** Parent dir; the sentinel gets its own writable dir under it (it rewrites its conf). */
  dir: string;
  masterName: string;
  masterHost: string;
  masterPort: number;
  quorum: number;
  downAfterMs: number;
  failoverTimeoutMs: number;
  /** The data nodes' password (`sentinel auth-pass`). */
  password?: string;
  /** The sentinel's own `requirepass`. */
  sentinelPassword?: string;
  /** Valkey: the server binary, started with `--sentinel`. Omitted: Debian's redis-sentinel (or sentinelBin). */
  serverBin?: string;
  /** The redis-sentinel binary when serverBin is not given; default redis-sentinel from PATH. */
  sentinelBin?: string;
}

export interface SentinelProcess extends TrackedProcess {
  host: string;
  port: number;
  addr: string;
  dir: string;
  /** How to start it again from its (rewritten) conf. */
  bin: string;
  args: string[];
}

function sentinelConf(spec: SentinelSpec, port: number, dir: string): string {
  const m = spec.masterName;
  const lines = [
    `port ${port}`,
    `bind ${spec.host}`,
    'protected-mode no',
    `dir ${dir}`,
    `logfile ${path.join(dir, 'sentinel.log')}`,
    `sentinel announce-ip ${spec.host}`,
    `sentinel monitor ${m} ${spec.masterHost} ${spec.masterPort} ${spec.quorum}`,
    `sentinel down-after-milliseconds ${m} ${spec.downAfterMs}`,
    `sentinel failover-timeout ${m} ${spec.failoverTimeoutMs}`,
    `sentinel parallel-syncs ${m} 1`,
  ];
  if (spec.password) lines.push(`sentinel auth-pass ${m} ${spec.password}`);
  if (spec.sentinelPassword) lines.push(`requirepass ${spec.sentinelPassword}`);
  return `${lines.join('\n')}\n`;
}

export function connectSentinel(host: string, port: number, sentinelPassword?: string): Redis {
  const client = new Redis({
    host,
    port,
    password: sentinelPassword,
    protocol: 2,
    disableClientInfo: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 2000,
    retryStrategy: () => null,
    lazyConnect: true,
  });
  client.on('error', () => {});
  return client;
}

async function answersPing(host: string, port: number, sentinelPassword: string | undefined): Promise<boolean> {
  const client = connectSentinel(host, port, sentinelPassword);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

async function waitUntilUp(proc: SentinelProcess, sentinelPassword: string | undefined): Promise<boolean> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && isRunning(proc)) {
    if (await answersPing(proc.host, proc.port, sentinelPassword)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function launch(base: Omit<SentinelProcess, keyof TrackedProcess>): SentinelProcess {
  return { ...base, ...spawnTracked(base.bin, base.args, base.dir) };
}

async function startOnce(spec: SentinelSpec, port: number): Promise<SentinelProcess | 'port-taken'> {
  const dir = path.join(spec.dir, `sentinel-${spec.host}-${port}`);
  await mkdir(dir, { recursive: true });
  const conf = path.join(dir, 'sentinel.conf');
  await writeFile(conf, sentinelConf(spec, port, dir));
  const bin = spec.serverBin ?? spec.sentinelBin ?? 'redis-sentinel';
  const args = spec.serverBin ? [conf, '--sentinel'] : [conf];
  const proc = launch({ host: spec.host, port, addr: `${spec.host}:${port}`, dir, bin, args });
  if (await waitUntilUp(proc, spec.sentinelPassword)) return proc;
  await stopTracked(proc, 500);
  const log = await readFile(path.join(dir, 'sentinel.log'), 'utf8').catch(() => '');
  if (/address already in use/i.test(log)) return 'port-taken';
  throw new Error(`sentinel ${spec.host}:${port} did not start: ${log.trim().split('\n').slice(-3).join(' | ')}`);
}

export async function startSentinelProcess(spec: SentinelSpec): Promise<SentinelProcess> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const started = await startOnce(spec, await freeNodePort());
    if (started !== 'port-taken') return started;
  }
  throw new Error(`could not find a free port for a sentinel on ${spec.host}`);
}

/** Start a stopped sentinel again from the conf it rewrote (same port, same id, what it learnt). */
export async function restartSentinelProcess(
  proc: SentinelProcess,
  sentinelPassword: string | undefined,
): Promise<SentinelProcess> {
  if (isRunning(proc)) throw new Error(`sentinel ${proc.addr} is still running`);
  const { pid: _pid, child: _child, exited: _exited, ...base } = proc;
  const next = launch(base);
  if (!(await waitUntilUp(next, sentinelPassword))) {
    await stopTracked(next, 500);
    throw new Error(`sentinel ${proc.addr} did not restart`);
  }
  return next;
}
