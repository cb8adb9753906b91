// Load measurement for e2e: every command on every node (INFO commandstats), and light viewers that replay what a
// browser viewer requested, so fifty of them fit on two cores next to the cluster and the dashboard.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { Redis } from 'ioredis';
import { commandCalls } from '../../lib/redis/info';

export interface CommandCounts {
  at: number;
  /** addr -> command ("slowlog|get") -> calls since the node started. */
  byNode: Map<string, Map<string, number>>;
}

/** INFO commandstats of every node (each of these INFO calls is itself counted by the node, from the next reading). */
export async function readCommandCounts(nodes: Array<{ addr: string; client: Redis }>): Promise<CommandCounts> {
  const byNode = new Map<string, Map<string, number>>();
  await Promise.all(
    nodes.map(async ({ addr, client }) => {
      const stats = String(await client.call('INFO', 'commandstats'));
      byNode.set(addr, commandCalls(stats));
    }),
  );
  return { at: Date.now(), byNode };
}

export interface CommandDelta {
  ms: number;
  /** Every command on every node, minus the INFO commandstats calls the measurement itself made. */
  total: number;
  byNode: Map<string, Map<string, number>>;
  byCommand: Map<string, number>;
}

export function commandDelta(before: CommandCounts, after: CommandCounts): CommandDelta {
  const byNode = new Map<string, Map<string, number>>();
  const byCommand = new Map<string, number>();
  let total = 0;
  for (const [addr, counts] of after.byNode) {
    const was = before.byNode.get(addr) ?? new Map<string, number>();
    const delta = new Map<string, number>();
    for (const [command, calls] of counts) {
      // The "before" reading's own INFO ran on this node and is in "after"; the "after" reading's own is not.
      const own = command === 'info' ? 1 : 0;
      const d = calls - (was.get(command) ?? 0) - own;
      if (d <= 0) continue;
      delta.set(command, d);
      byCommand.set(command, (byCommand.get(command) ?? 0) + d);
      total += d;
    }
    byNode.set(addr, delta);
  }
  return { ms: after.at - before.at, total, byNode, byCommand };
}

/** An SSE client of the cluster stream, as the cluster page holds one: counts the snapshots pushed to it. */
export interface StreamViewer {
  snapshots: number;
  close(): void;
}

export async function openStream(url: string, cookie: string): Promise<StreamViewer> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal: controller.signal });
  if (response.status !== 200) throw new Error(`stream answered ${response.status}`);
  const viewer: StreamViewer = { snapshots: 0, close: () => controller.abort() };
  const reader = response.body?.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      while (reader) {
        const { value, done } = await reader.read();
        if (done) break;
        viewer.snapshots += decoder.decode(value, { stream: true }).split('event: snapshot').length - 1;
      }
    } catch {
      // aborted
    }
  })();
  return viewer;
}

// Kept-alive sockets shared by the replayed viewers, as a browser keeps a few per origin: under load requests wait
// for a socket instead of opening hundreds of connections and timing out in the server's accept queue.
// Idle sockets are dropped before the server's 5 s keep-alive timeout would close them under a request.
const agent = new http.Agent({ keepAlive: true, maxSockets: 48, timeout: 4000 });

/** A GET; like a browser, retried once when a reused kept-alive connection was closed under it. */
async function httpGet(url: string, cookie: string): Promise<number> {
  try {
    return await httpGetOnce(url, cookie);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') throw err;
    return httpGetOnce(url, cookie);
  }
}

function httpGetOnce(url: string, cookie: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { agent, headers: { cookie } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

/** What a browser viewer asked the server for: per path, how often (0 = once, when the page opened). */
export interface RequestPlan {
  pages: string[];
  streams: string[];
  requests: Array<{ path: string; everyMs: number }>;
}

/** Requests of one path spread over less than this were a burst when the page opened, not a refresh cycle. */
const PERIODIC_MIN_SPAN_MS = 3000;

/**
 * Rate-preserving summary of the API requests seen: a path asked n times over t ms is asked every t/(n-1) ms; one
 * asked only around the moment its page opened is asked as often, once, when the replayed viewer opens.
 */
/** An event stream, whatever its query (the cluster page asks for deltas: `/stream?delta=1`). */
const isStream = (path: string) => path.split('?')[0]?.endsWith('/stream') ?? false;

export function planFrom(seen: Array<{ path: string; at: number }>, pages: string[]): RequestPlan {
  const byPath = new Map<string, number[]>();
  for (const { path, at } of seen) byPath.set(path, [...(byPath.get(path) ?? []), at]);
  const streams = [...byPath.keys()].filter(isStream);
  const requests = [...byPath.entries()]
    .filter(([path]) => !isStream(path))
    .flatMap(([path, times]) => {
      const span = (times[times.length - 1] ?? 0) - (times[0] ?? 0);
      if (span >= PERIODIC_MIN_SPAN_MS) return [{ path, everyMs: span / (times.length - 1) }];
      return times.map(() => ({ path, everyMs: 0 }));
    });
  return { pages, streams, requests };
}

/**
 * One more viewer doing what the recorded browser viewer did: loads the same pages, holds the same streams, and asks
 * the same API paths at the same rates, starting after `delayMs` (tabs are not all opened at the same instant).
 */
export function replayViewer(
  baseURL: string,
  cookie: string,
  plan: RequestPlan,
  delayMs: number,
): { requests: () => number; failures: () => string[]; close(): void } {
  const timers: NodeJS.Timeout[] = [];
  const streams: StreamViewer[] = [];
  const failures: string[] = [];
  let requests = 0;
  let closed = false;
  const get = async (path: string) => {
    if (closed) return;
    requests++;
    try {
      const status = await httpGet(`${baseURL}${path}`, cookie);
      if (status >= 500) failures.push(`${path}: ${status}`);
    } catch (err) {
      if (!closed) failures.push(`${path}: ${(err as Error).message}`);
    }
  };
  timers.push(
    setTimeout(() => {
      for (const page of plan.pages) void get(page);
      for (const stream of plan.streams)
        openStream(`${baseURL}${stream}`, cookie).then(
          (s) => (closed ? s.close() : streams.push(s)),
          (err: Error) => failures.push(`${stream}: ${err.message}`),
        );
      for (const { path, everyMs } of plan.requests) {
        void get(path);
        if (everyMs > 0) timers.push(setInterval(() => void get(path), everyMs));
      }
    }, delayMs),
  );
  return {
    requests: () => requests,
    failures: () => failures,
    close: () => {
      closed = true;
      for (const t of timers) clearInterval(t);
      for (const s of streams) s.close();
    },
  };
}

/** CPU seconds a process has used (user + system, from /proc; Linux clock ticks are 1/100 s). */
export async function cpuSeconds(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
