// npm run bench:sentinel-failover — what a Sentinel failover costs a 2,000 writes/s one-key-per-write writer connected
// through HAProxy, side by side in one run: the dashboard's guided failover (pause writes, replicas catch up, SENTINEL
// FAILOVER, follow, verify; driven in-process through startSentinelFailover as the route does) against a plain
// `redis-cli SENTINEL FAILOVER <name>` on one sentinel (the baseline), and the sentinels' own failover of a SIGSTOPped
// master. Per round a fresh group; the methods alternate within each round, their order rotating.
// Figures: acknowledged writes, acknowledged writes lost on the new master, failed (unacknowledged) writes, the writer's
// longest stall, and the time from the request until every sentinel and HAProxy name the new master.
// Options: --rounds N (default 3), --flavour redis|valkey|both (default redis), --methods guided,baseline,sigstop,
// --budget-s S (default 1200: no round starts after it; the run is cut 120 s later).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Flavour, serverBin } from '../test/flavours';
import { type FailoverMethod, METHODS, type RoundFigures, runRound, WRITES_PER_SECOND } from './sentinelFailoverRound';
import { round, summarize } from './stats';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    flavour: { type: 'string', default: 'redis' },
    methods: { type: 'string', default: METHODS.join(',') },
    'budget-s': { type: 'string', default: '1200' },
  },
});
const rounds = Number(values.rounds);
const budgetMs = Number(values['budget-s']) * 1000;
const flavours: Flavour[] =
  values.flavour === 'both' ? ['redis', 'valkey'] : values.flavour === 'valkey' ? ['valkey'] : ['redis'];
const methods = values.methods.split(',').map((m) => {
  const method = METHODS.find((k) => k === m.trim());
  if (!method) throw new Error(`--methods: one or more of ${METHODS.join(', ')} (got "${m}")`);
  return method;
});
if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds: a whole number ≥ 1');
if (!['redis', 'valkey', 'both'].includes(values.flavour)) throw new Error('--flavour: redis, valkey or both');
if (!(budgetMs > 0)) throw new Error('--budget-s: a number of seconds > 0');

// The guided failover audits and takes the deployment's operation lock: a dashboard config and data dir of its own.
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-sentinel-failover-'));
const configPath = path.join(dir, 'config.json');
process.env.DASHBOARD_CONFIG = configPath;
process.env.DASHBOARD_SESSION_SECRET = randomBytes(32).toString('base64url');

let held: (() => Promise<void>) | undefined;
const cleanUp = async () => {
  await held?.().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
};
const cut = (why: string) => {
  console.error(`bench:sentinel-failover: ${why}; stopping what it started`);
  void cleanUp().finally(() => process.exit(2));
};
process.once('SIGINT', () => cut('interrupted'));
process.once('SIGTERM', () => cut('terminated'));
const watchdog = setTimeout(() => cut(`over its budget of ${budgetMs / 1000} s + 120 s`), budgetMs + 120_000);

const started = Date.now();
const figures: RoundFigures[] = [];
const errors: Array<{ flavour: string; method: FailoverMethod; round: number; error: string }> = [];
try {
  for (const flavour of flavours) {
    const bin = serverBin(flavour);
    for (let r = 1; r <= rounds; r++) {
      // Rotate the order so no method always runs first (on the machine's coolest moment).
      const order = methods.map((_, i) => methods[(i + r - 1) % methods.length] ?? 'guided');
      for (const method of order) {
        if (Date.now() - started > budgetMs) throw new Error(`budget of ${budgetMs / 1000} s spent: no more rounds`);
        try {
          const f = await runRound({
            method,
            flavour,
            round: r,
            serverBin: bin,
            configPath,
            holding: (stop) => {
              held = stop;
            },
          });
          figures.push(f);
          console.log(
            `${flavour} r${r} ${method.padEnd(8)} acked ${f.acked} lost ${f.lost} failed ${f.failed} ${JSON.stringify(f.failedBy)} stall ${f.longestStallMs} ms agreed ${round(f.allAgreeMs, 0)} ms (sentinels ${round(f.sentinelsAgreeMs, 0)}, HAProxy ${round(f.haproxyMs, 0)}, two UP ${round(f.haproxyTwoUpMs, 0)}) → ${f.newMaster}`,
          );
        } catch (err) {
          const error = (err as Error).message;
          errors.push({ flavour, method, round: r, error });
          console.error(`${flavour} r${r} ${method}: FAILED: ${error}`);
        }
      }
    }
  }
} catch (err) {
  console.error((err as Error).message);
} finally {
  clearTimeout(watchdog);
  await cleanUp();
}

const rows = figures.map((f) => ({
  flavour: f.flavour,
  round: f.round,
  method: f.method,
  acked: f.acked,
  lost: f.lost,
  failed: f.failed,
  'stall ms': f.longestStallMs,
  'sentinels ms': round(f.sentinelsAgreeMs, 0),
  'HAProxy ms': round(f.haproxyMs, 0),
  'all agree ms': round(f.allAgreeMs, 0),
  'HAProxy 2 UP ms': round(f.haproxyTwoUpMs, 0),
}));
console.table(rows);

const perMethod = (flavour: string, method: FailoverMethod) => {
  const mine = figures.filter((f) => f.flavour === flavour && f.method === method);
  const stall = summarize(mine.map((f) => f.longestStallMs));
  const agree = summarize(mine.map((f) => f.allAgreeMs));
  return {
    rounds: mine.length,
    lost: mine.map((f) => f.lost),
    lostTotal: mine.reduce((n, f) => n + f.lost, 0),
    ackedTotal: mine.reduce((n, f) => n + f.acked, 0),
    failed: mine.map((f) => f.failed),
    stallMedianMs: stall.median,
    stallMaxMs: stall.max,
    allAgreeMedianMs: round(agree.median, 0),
    allAgreeMaxMs: round(agree.max, 0),
    haproxyTwoUpMaxMs: round(Math.max(0, ...mine.map((f) => f.haproxyTwoUpMs)), 0),
  };
};
const summary = Object.fromEntries(
  flavours.map((flavour) => {
    const by = Object.fromEntries(methods.map((m) => [m, perMethod(flavour, m)]));
    const g = by.guided;
    const b = by.baseline;
    const compared =
      g && b
        ? {
            lostGuidedMinusBaseline: g.lostTotal - b.lostTotal,
            failedGuidedMinusBaseline: g.failed.reduce((a, n) => a + n, 0) - b.failed.reduce((a, n) => a + n, 0),
            stallRatioOfMedians: round(g.stallMedianMs / b.stallMedianMs, 2),
            allAgreeRatioOfMedians: round(g.allAgreeMedianMs / b.allAgreeMedianMs, 2),
          }
        : undefined;
    return [flavour, { ...by, ...(compared ? { guidedVsBaseline: compared } : {}) }];
  }),
);
for (const flavour of flavours) {
  const s = summary[flavour] as Record<string, ReturnType<typeof perMethod>>;
  console.log(
    `${flavour}: lost acknowledged writes per round — ${methods.map((m) => `${m} [${s[m]?.lost.join(', ')}]`).join(' | ')}`,
  );
  console.table(
    methods.map((m) => ({
      method: m,
      rounds: s[m]?.rounds,
      'lost (total)': s[m]?.lostTotal,
      'acked (total)': s[m]?.ackedTotal,
      failed: s[m]?.failed.join(', '),
      'stall median ms': s[m]?.stallMedianMs,
      'stall max ms': s[m]?.stallMaxMs,
      'all agree median ms': s[m]?.allAgreeMedianMs,
      'all agree max ms': s[m]?.allAgreeMaxMs,
      'HAProxy 2 UP max ms': s[m]?.haproxyTwoUpMaxMs,
    })),
  );
  const vs = (summary[flavour] as { guidedVsBaseline?: Record<string, number> }).guidedVsBaseline;
  if (vs) console.log(`${flavour}: guided vs baseline: ${JSON.stringify(vs)}`);
}
const result = {
  bench: 'sentinel-failover',
  at: new Date().toISOString(),
  loadAverage: os.loadavg().map((l) => round(l, 2)),
  cores: os.cpus().length,
  writesPerSecond: WRITES_PER_SECOND,
  roundsAsked: rounds,
  summary,
  figures,
  errors,
};
await mkdir('bench-results', { recursive: true });
await writeFile('bench-results/sentinel-failover.json', `${JSON.stringify(result, null, 2)}\n`);
console.log(`written to bench-results/sentinel-failover.json (load average ${result.loadAverage.join(' ')})`);
process.exit(errors.length ? 1 : 0);
