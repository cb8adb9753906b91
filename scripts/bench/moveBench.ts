// What bench:reshard and bench:rebalance share: the writer in a process of its own, latency windows, and redis-cli
// run through bash for its CPU time.
import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { percentile } from './stats';

const run = promisify(execFile);

export interface WriterReport {
  samples: Array<[number, number]>;
  acked: number;
  lost: number;
}

/**
 * The writer runs in a process of its own (scripts/bench/latencyWriter.mjs), so what it measures is the cluster's
 * latency as a client sees it, never this process's event loop (where the job runs) being busy.
 */
export function startWriter(
  dir: string,
  seeds: Array<{ host: string; port: number }>,
  password: string,
  rate: number,
): { stop(): Promise<WriterReport> } {
  const out = path.join(dir, 'writer.json');
  const child = spawn(
    process.execPath,
    [fileURLToPath(new URL('./latencyWriter.mjs', import.meta.url)), JSON.stringify({ seeds, password, rate, out })],
    { stdio: ['pipe', 'inherit', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    /** Stops it; every acknowledged write is read back. */
    async stop(): Promise<WriterReport> {
      child.stdin.write('stop\n');
      await exited;
      return JSON.parse(await readFile(out, 'utf8'));
    },
  };
}

/** Epoch ms, as the writer stamps its samples. */
export const epoch = () => performance.timeOrigin + performance.now();

export const between = (samples: Array<[number, number]>, from: number, to: number) =>
  samples.filter(([at]) => at >= from && at <= to).map(([, ms]) => ms);

export function latency(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] };
}

/** `redis-cli <args>` through bash, for `times`: the CPU redis-cli used (its children's line), in ms. */
export async function redisCli(args: string[], password: string): Promise<number> {
  const { stdout } = await run(
    'bash',
    ['-c', 'redis-cli "$@" > /dev/null || exit $?; times', 'redis-cli', ...args, '-a', password, '--no-auth-warning'],
    { maxBuffer: 256 * 1024 * 1024 },
  );
  const [user, sys] = (stdout.trim().split('\n').at(-1) ?? '')
    .split(/\s+/)
    .map((t) => /(\d+)m([\d.]+)s/.exec(t))
    .map((m) => (m ? Number(m[1]) * 60_000 + Number(m[2]) * 1000 : 0));
  return Math.round((user ?? 0) + (sys ?? 0));
}
