// npm run bench:soak — endurance: a 6-node dev cluster polled every 100 ms by the production dashboard process (the
// standalone build: run `npm run build` first), with SSE viewers connecting and leaving on a churn, for 20 minutes.
// Reports the dashboard's heap (after a full GC) and RSS after the warm-up and at the end, the growth of each, the
// active handles, and every warning the dashboard logged. Options: --minutes N (default 20), --viewers N (10),
// --poll-ms N (100), --warmup-minutes N (default: 2, or a fifth of a shorter run).
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import bcrypt from 'bcryptjs';
import { spawnDashboard } from '../dashboardProcess';
import { startDevCluster, waitFor } from '../devcluster/cluster';
import { THREE_HOSTS } from '../test/helpers';
import { type MemorySample, memorySamples, rssOf, warningsIn } from './soakLog';
import { freePort, login, runViewer, type ViewerTally } from './soakViewers';
import { round } from './stats';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '20' },
    viewers: { type: 'string', default: '10' },
    'poll-ms': { type: 'string', default: '100' },
    'warmup-minutes': { type: 'string' },
  },
});
const minutes = Number(values.minutes);
const viewers = Number(values.viewers);
const pollMs = Number(values['poll-ms']);
const warmupMinutes =
  values['warmup-minutes'] !== undefined ? Number(values['warmup-minutes']) : Math.min(2, minutes / 5);
const MEMORY_EVERY_MS = 5000;

const dev = await startDevCluster({ masters: 3, replicasPerMaster: 1, hosts: THREE_HOSTS, nodeTimeoutMs: 2000 });
const dir = await mkdtemp(path.join(os.tmpdir(), 'dashboard-soak-'));
const logPath = path.join(dir, 'dashboard.log');
const password = randomBytes(9).toString('base64url');
const hash = await bcrypt.hash(password, 10);
// One user per viewer: a user may hold a few streams only (STREAMS_PER_PRINCIPAL).
const names = Array.from({ length: viewers }, (_, i) => `viewer-${i + 1}`);
const configPath = path.join(dir, 'dashboard.config.json');
await writeFile(
  configPath,
  JSON.stringify({
    clusters: [{ id: 'soak', name: 'Soak', seeds: [dev.nodes[0]?.addr ?? ''], pollIntervalMs: 250 }],
    users: names.map((name) => ({ name, role: 'viewer', passwordHash: hash })),
    auditLogPath: path.join(dir, 'audit.log.jsonl'),
  }),
);
const log = createWriteStream(logPath);
const dash = spawnDashboard({
  configPath,
  port: await freePort(),
  stdio: ['ignore', 'pipe', 'pipe'],
  env: {
    DASHBOARD_SESSION_SECRET: randomBytes(32).toString('base64url'),
    DASHBOARD_BENCH_POLL_INTERVAL_MS: String(pollMs),
    DASHBOARD_BENCH_MEMORY_LOG_MS: String(MEMORY_EVERY_MS),
    NODE_OPTIONS: '--expose-gc --trace-warnings',
  },
});
dash.child.stdout?.pipe(log);
dash.child.stderr?.pipe(log);
const pid = dash.child.pid ?? 0;
const stopAt = { value: Number.POSITIVE_INFINITY };
const tallies: ViewerTally[] = [];
try {
  await waitFor(
    'the dashboard to answer',
    async () => ((await fetch(`${dash.baseURL}/api/health`).catch(() => undefined))?.ok ? true : undefined),
    60_000,
    200,
  );
  // One at a time: the dashboard checks one login per client address at once.
  const cookies: string[] = [];
  for (const name of names) cookies.push(await login(dash.baseURL, name, password));
  const started = Date.now();
  stopAt.value = started + minutes * 60_000;
  const runs = cookies.map((cookie) => {
    const tally: ViewerTally = { sessions: 0, snapshots: 0, refused: 0, errors: 0 };
    tallies.push(tally);
    return runViewer(`${dash.baseURL}/api/clusters/soak/stream`, cookie, tally, () => Date.now() >= stopAt.value);
  });
  const warmAt = started + warmupMinutes * 60_000;
  const rss: { warm?: number; end?: number } = {};
  let cpuWarm = 0;
  await waitFor(
    'the warm-up',
    async () => (Date.now() >= warmAt ? true : undefined),
    warmupMinutes * 60_000 + 5000,
    500,
  );
  // The first memory line written after the warm-up, and the last one before the end.
  await waitFor('a memory line after the warm-up', async () => (await latestAfter(warmAt)) ?? undefined, 30_000, 500);
  rss.warm = await rssOf(pid);
  cpuWarm = await cpuTicks(pid);
  const warmWall = Date.now();
  for (let minute = Math.floor(warmupMinutes) + 1; Date.now() < stopAt.value; minute++) {
    await waitFor(
      'the next minute',
      async () => (Date.now() >= Math.min(stopAt.value, started + minute * 60_000) ? true : undefined),
      61_000 + minutes * 60_000,
      500,
    );
    const last = memorySamples(await readFile(logPath, 'utf8')).at(-1);
    if (last)
      console.log(
        `[soak] ${minute} min: heap ${mib(last.heapUsed)} MiB, rss ${mib(last.rss)} MiB, sessions ${sum(tallies, 'sessions')}`,
      );
  }
  await Promise.all(runs);
  const endAt = Date.now();
  rss.end = await rssOf(pid);
  const cpuEnd = await cpuTicks(pid);
  // Idle keep-alive connections close 5 s after their last request: the line 10 s on shows what the viewers left.
  await waitFor(
    'a memory line after the viewers left',
    async () => (await latestAfter(endAt + 10_000)) ?? undefined,
    40_000,
    500,
  );
  const text = await readFile(logPath, 'utf8');
  const samples = memorySamples(text);
  const warm = samples.find((s) => Date.parse(s.at) >= warmAt);
  const end = samples.findLast((s) => Date.parse(s.at) < endAt) ?? samples.at(-1);
  const after = samples.at(-1);
  if (!warm || !end || !after || rss.warm === undefined || rss.end === undefined) throw new Error('no memory samples');
  const growth = (a: number, b: number) => round(((b - a) / a) * 100, 1);
  const warnings = warningsIn(text);
  const result = {
    bench: 'soak',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg().map((l) => round(l, 2)) },
    nodes: dev.nodes.length,
    pollIntervalMs: pollMs,
    minutes,
    warmupMinutes,
    viewers,
    viewerSessions: sum(tallies, 'sessions'),
    snapshotsReceived: sum(tallies, 'snapshots'),
    refusedStreams: sum(tallies, 'refused'),
    viewerErrors: sum(tallies, 'errors'),
    heapAfterGc: afterGcNote(warm),
    heapMiB: { warm: mib(warm.heapUsed), end: mib(end.heapUsed), growthPercent: growth(warm.heapUsed, end.heapUsed) },
    rssMiB: { warm: mib(rss.warm), end: mib(rss.end), growthPercent: growth(rss.warm, rss.end) },
    dashboardCpuPercentOfOneCore: round(((cpuEnd - cpuWarm) * 10 * 100) / (endAt - warmWall), 1),
    activeResources: { warm: warm.resources, end: end.resources, afterViewersLeft: after.resources },
    listeners: {
      warm: { streams: warm.streams, poller: warm.pollerListeners, jobs: warm.jobListeners },
      afterViewersLeft: { streams: after.streams, poller: after.pollerListeners, jobs: after.jobListeners },
    },
    goal: 'heap and RSS growth < 10 %, no warning in the log',
    warnings: warnings.length,
    warningLines: warnings.slice(0, 20),
  };
  console.log(JSON.stringify(result, null, 2));
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/soak.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log('written to bench-results/soak.json; dashboard log kept at', logPath);
} finally {
  stopAt.value = 0;
  dash.child.kill('SIGTERM');
  const killer = setTimeout(() => dash.child.kill('SIGKILL'), 5000);
  await dash.exited;
  clearTimeout(killer);
  await dev.stop();
  if (process.exitCode) await rm(dir, { recursive: true, force: true });
}

async function latestAfter(at: number): Promise<MemorySample | undefined> {
  return memorySamples(await readFile(logPath, 'utf8')).find((s) => Date.parse(s.at) >= at);
}

/** utime + stime of the process, in clock ticks (1/100 s), from /proc/<pid>/stat. */
async function cpuTicks(of: number): Promise<number> {
  const stat = await readFile(`/proc/${of}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function mib(bytes: number): number {
  return round(bytes / 1024 / 1024, 1);
}

function sum(list: ViewerTally[], field: keyof ViewerTally): number {
  return list.reduce((s, t) => s + t[field], 0);
}

function afterGcNote(sample: MemorySample): string {
  return sample.afterGc ? 'yes: a full GC ran just before each sample (--expose-gc)' : 'no: heapUsed includes garbage';
}
