// npm run bench:login-flood — does a flood of bad logins starve the poller? Starts a 6-node cluster and the built
// dashboard (poll every 1000 ms, default node deadline), subscribes to the snapshot stream and records each snapshot's
// collectedAt (when its poll started) and unreachable node count: first for a quiet baseline window, then while
// --clients concurrent clients each send bad logins back to back (random user names and passwords) for --seconds.
// Each client connects from its own loopback address (127.0.1.x, and says so in X-Forwarded-For too), so no single
// address's backoff shields the server: only the bounded bcrypt pool does. Between the two, a control window: the
// same clients sending the same requests from a foreign Origin, refused (403) before the body is read, which is what
// serving that many HTTP clients costs with no login work at all. Stops everything it started by PID.
// Options: --clients N (default 200), --seconds S (flood, default 20), --baseline S (default 20),
// --addresses N (distinct client addresses, default = clients; 1 floods from one address).
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { clientAddress, postFrom } from '../../e2e/support/clientAddress';
import { type PolledSnapshot, pollGaps, recordSnapshots } from '../../e2e/support/snapshotStream';
import { type Stack, startStack } from '../../e2e/support/stack';
import { round, summarize } from './stats';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '20' },
    baseline: { type: 'string', default: '20' },
    addresses: { type: 'string' },
  },
});
const CLIENTS = Number(values.clients);
const FLOOD_MS = Number(values.seconds) * 1000;
const BASELINE_MS = Number(values.baseline) * 1000;
const ADDRESSES = Math.max(1, Math.min(CLIENTS, Number(values.addresses ?? CLIENTS)));
const POLL_MS = 1000;
const GOAL_RATIO = 1.2;

/** Times GET /api/health every 250 ms until aborted. */
async function probeHealth(stack: Stack, into: number[], signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    const started = performance.now();
    await fetch(`${stack.baseURL}/api/health`, { signal }).catch(() => undefined);
    if (!signal.aborted) into.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * CLIENTS loops of back-to-back bad logins until the deadline; counts answers by status. `origin` foreign: the
 * control, refused at the origin check.
 */
async function flood(stack: Stack, until: number, origin = stack.baseURL) {
  const url = `${stack.baseURL}/api/auth/login`;
  const statuses = new Map<number, number>();
  const latency = new Map<number, number[]>();
  const agents = Array.from({ length: ADDRESSES }, () => new http.Agent({ keepAlive: true, maxSockets: CLIENTS }));
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const slot = i % ADDRESSES;
      const address = clientAddress(slot);
      const agent = agents[slot];
      while (Date.now() < until) {
        const guess = {
          username: `user-${randomBytes(5).toString('hex')}`,
          password: randomBytes(9).toString('base64url'),
        };
        const { status, ms } = await postFrom(address, url, guess, { origin }, agent);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const times = latency.get(status) ?? [];
        times.push(ms);
        latency.set(status, times);
      }
    }),
  );
  for (const agent of agents) agent.destroy();
  return { statuses, latency };
}

function windowSummary(samples: PolledSnapshot[], health: number[], from: number, to: number) {
  const gaps = summarize(pollGaps(samples, from, to));
  const inWindow = samples.filter((s) => s.collectedAt >= from && s.collectedAt <= to);
  const probes = summarize(health);
  return {
    snapshots: inWindow.length,
    intervalMedianMs: round(gaps.median, 0),
    intervalP95Ms: round(gaps.p95, 0),
    intervalMaxMs: round(gaps.max, 0),
    ratioMedian: round(gaps.median / POLL_MS),
    ratioP95: round(gaps.p95 / POLL_MS),
    ratioMax: round(gaps.max / POLL_MS),
    maxUnreachable: Math.max(0, ...inWindow.map((s) => s.unreachable)),
    snapshotsWithUnreachable: inWindow.filter((s) => s.unreachable > 0).length,
    healthMedianMs: round(probes.median, 0),
    healthP95Ms: round(probes.p95, 0),
    healthMaxMs: round(probes.max, 0),
  };
}

const stack = await startStack({ pollIntervalMs: POLL_MS, clusterConfig: { nodeDeadlineMs: 1000 } });
const stop = new AbortController();
try {
  const login = await fetch(`${stack.baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { origin: stack.baseURL, 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'viewer', password: stack.passwords.viewer }),
  });
  const cookie = login.headers.get('set-cookie')?.split(';')[0] ?? '';
  const samples: PolledSnapshot[] = [];
  const recording = recordSnapshots(stack.baseURL, stack.clusterId, cookie, samples, stop.signal);

  console.log(`baseline: ${BASELINE_MS / 1000} s with no load`);
  const baselineHealth: number[] = [];
  const baselineProbe = new AbortController();
  const baselineFrom = Date.now();
  const baselineProbing = probeHealth(stack, baselineHealth, baselineProbe.signal);
  await new Promise((resolve) => setTimeout(resolve, BASELINE_MS));
  baselineProbe.abort();
  await baselineProbing;
  const baselineTo = Date.now();

  console.log(`control: ${CLIENTS} concurrent clients refused at the origin check for ${FLOOD_MS / 1000} s`);
  const controlHealth: number[] = [];
  const controlProbe = new AbortController();
  const controlFrom = Date.now();
  const controlProbing = probeHealth(stack, controlHealth, controlProbe.signal);
  const control = await flood(stack, controlFrom + FLOOD_MS, 'http://elsewhere.example');
  const controlTo = Date.now();
  controlProbe.abort();
  await controlProbing;
  await new Promise((resolve) => setTimeout(resolve, 2 * POLL_MS));

  console.log(`flood: ${CLIENTS} concurrent bad logins from ${ADDRESSES} address(es) for ${FLOOD_MS / 1000} s`);
  const floodHealth: number[] = [];
  const floodProbe = new AbortController();
  const floodFrom = Date.now();
  const floodProbing = probeHealth(stack, floodHealth, floodProbe.signal);
  const { statuses, latency } = await flood(stack, floodFrom + FLOOD_MS);
  const floodTo = Date.now();
  floodProbe.abort();
  await floodProbing;
  // One more poll so the last interval of the flood window is closed.
  await new Promise((resolve) => setTimeout(resolve, 2 * POLL_MS));
  stop.abort();
  await recording;

  const baseline = windowSummary(samples, baselineHealth, baselineFrom, baselineTo);
  const controlled = windowSummary(samples, controlHealth, controlFrom, controlTo);
  const during = windowSummary(samples, floodHealth, floodFrom, floodTo);
  const answered = (status: number) => statuses.get(status) ?? 0;
  const latencyOf = (status: number) => summarize(latency.get(status) ?? []);
  const result = {
    bench: 'login-flood',
    at: new Date().toISOString(),
    pollIntervalMs: POLL_MS,
    clients: CLIENTS,
    addresses: ADDRESSES,
    floodSeconds: FLOOD_MS / 1000,
    baseline,
    control: { ...controlled, requests: Object.fromEntries(control.statuses) },
    flood: during,
    logins: {
      total: [...statuses.values()].reduce((a, b) => a + b, 0),
      answered401: answered(401),
      answered429: answered(429),
      other: Object.fromEntries([...statuses].filter(([s]) => s !== 401 && s !== 429)),
      ms401Median: round(latencyOf(401).median, 0),
      ms429Median: round(latencyOf(429).median, 0),
      ms429P95: round(latencyOf(429).p95, 0),
    },
  };
  console.table(
    Object.keys(baseline).map((measure) => ({
      measure,
      baseline: baseline[measure as keyof typeof baseline],
      control: controlled[measure as keyof typeof controlled],
      flood: during[measure as keyof typeof during],
    })),
  );
  console.table(Object.entries(result.logins).map(([k, v]) => ({ logins: k, value: JSON.stringify(v) })));
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/login-flood.json', `${JSON.stringify(result, null, 2)}\n`);
  const intervalOk = during.ratioP95 <= GOAL_RATIO;
  const reachableOk = during.maxUnreachable === 0;
  console.log(
    `poll interval during the flood: median ${during.intervalMedianMs} ms, p95 ${during.intervalP95Ms} ms, max ${during.intervalMaxMs} ms — ${during.ratioMedian}× / ${during.ratioP95}× / ${during.ratioMax}× nominal (goal for p95 ≤ ${GOAL_RATIO}×: ${intervalOk ? 'met' : 'MISSED'}); baseline p95 ${baseline.intervalP95Ms} ms, control (no login work) p95 ${controlled.intervalP95Ms} ms, max ${controlled.intervalMaxMs} ms`,
  );
  console.log(
    `unreachable nodes during the flood: max ${during.maxUnreachable} in ${during.snapshotsWithUnreachable} of ${during.snapshots} snapshots (goal 0: ${reachableOk ? 'met' : 'MISSED'}); baseline max ${baseline.maxUnreachable}`,
  );
  console.log(
    `logins answered: ${result.logins.answered401} × 401 (checked), ${result.logins.answered429} × 429 (refused before hashing)${Object.keys(result.logins.other).length ? `, other ${JSON.stringify(result.logins.other)}` : ''}`,
  );
  console.log('written to bench-results/login-flood.json');
} finally {
  stop.abort();
  await stack.stop();
}
