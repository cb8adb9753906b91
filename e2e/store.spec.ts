import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { ApiErrorBody } from '@/lib/api/types';
import type { TimelineEvent } from '@/lib/timeline/diff';
import type { FailoverJob, Job } from '../lib/jobs/types';
import { waitFor } from '../scripts/test/helpers';
import { replyHoldingProxy } from '../scripts/test/replyHoldingProxy';
import { RestartableDashboard } from './support/restartable';
import { type Stack, startStack, type UserRole } from './support/stack';

// The dashboard's own state in its data folder (SQLite): jobs, the operation lock, the timeline and session
// revocations, across restarts of the real standalone server (SIGTERM, and SIGKILL in the middle of a job).

test.describe.configure({ mode: 'serial' });

let stack: Stack;
let dash: RestartableDashboard;
let proxy: Awaited<ReturnType<typeof replyHoldingProxy>> | undefined;

test.beforeAll(async () => {
  stack = await startStack();
  dash = new RestartableDashboard(stack);
});

test.afterAll(async () => {
  await dash?.stop();
  await proxy?.close();
  await stack?.stop();
});

const login = (role: UserRole) => dash.login(role);
const call = (cookie: string, url: string, body?: unknown) => dash.call(cookie, url, body);
const getJson = <T>(cookie: string, url: string) => dash.getJson<T>(cookie, url);
const jobOnceEnded = (cookie: string, jobId: string) => dash.jobOnceEnded(cookie, jobId);

/** The replica the cluster was formed with in shard `shard` (a master once a failover promoted it). */
function replicaOf(shard: number): string {
  const master = stack.dev.masters[shard];
  const replica = stack.dev.replicas.find((r) => r.masterId === master?.id);
  if (!replica) throw new Error(`no replica for shard ${shard}`);
  return replica.id;
}

function startFailover(cookie: string, replicaId: string): Promise<Response> {
  return call(cookie, `/api/clusters/${stack.clusterId}/failover`, { replicaId, mode: 'default', confirm: replicaId });
}

/** The cluster has settled enough for a failover of `replicaId` to pass its pre-checks. */
async function failoverAllowed(cookie: string, replicaId: string): Promise<void> {
  await waitFor(
    `a failover of ${replicaId} to pass its pre-checks`,
    async () => {
      const response = await call(cookie, `/api/clusters/${stack.clusterId}/failover/plan?replicaId=${replicaId}`);
      if (response.status !== 200) return undefined;
      const plan = (await response.json()) as { allowed: boolean };
      return plan.allowed ? true : undefined;
    },
    45_000,
    250,
  );
}

let finishedJobId = '';
let failoverEvents: TimelineEvent[] = [];

test('a second operation on the cluster is refused with 409 naming the running job; the lock goes with the job', async () => {
  const operator = await login('operator');
  await failoverAllowed(operator, replicaOf(0));
  const first = await startFailover(operator, replicaOf(0));
  expect(first.status).toBe(200);
  const { jobId } = (await first.json()) as { jobId: string };

  const second = await startFailover(operator, replicaOf(1));
  expect(second.status).toBe(409);
  const refusal = (await second.json()) as ApiErrorBody;
  expect(refusal.error.code).toBe('conflict');
  expect(refusal.error.message).toMatch(
    new RegExp(`^a failover is already running on this cluster \\(job ${jobId}, started by operator at \\d{4}-.+Z\\)`),
  );
  expect(refusal.error.job).toMatchObject({ id: jobId, kind: 'failover', state: 'running', startedBy: 'operator' });

  const ended = await jobOnceEnded(operator, jobId);
  expect(ended.state).toBe('succeeded');
  finishedJobId = jobId;
  await failoverAllowed(operator, replicaOf(1));
  const next = await startFailover(operator, replicaOf(1));
  expect(next.status, await next.clone().text()).toBe(200);
  expect((await jobOnceEnded(operator, ((await next.json()) as { jobId: string }).jobId)).state).toBe('succeeded');
});

test('jobs, the timeline and revoked sessions survive a restart', async () => {
  const viewer = await login('viewer');
  const loggedOut = await login('viewer');
  expect((await call(loggedOut, '/api/auth/logout', {})).status).toBe(204);
  expect((await call(loggedOut, '/api/jobs')).status).toBe(401);
  const before = await getJson<FailoverJob>(viewer, `/api/jobs/${finishedJobId}`);
  const listed = await getJson<Job[]>(viewer, `/api/jobs?clusterId=${stack.clusterId}`);
  failoverEvents = (await getJson<TimelineEvent[]>(viewer, `/api/clusters/${stack.clusterId}/timeline`)).filter(
    (e) => e.kind === 'failover',
  );
  expect(failoverEvents.length).toBeGreaterThanOrEqual(2);

  await dash.restart('SIGTERM');

  expect(await getJson<FailoverJob>(viewer, `/api/jobs/${finishedJobId}`)).toEqual(before);
  const after = await getJson<Job[]>(viewer, `/api/jobs?clusterId=${stack.clusterId}`);
  expect(after.map((j) => [j.id, j.state])).toEqual(listed.map((j) => [j.id, j.state]));
  expect(after).toHaveLength(2);
  expect(await getJson<Job[]>(viewer, `/api/jobs?clusterId=${stack.clusterId}&limit=1`)).toHaveLength(1);
  expect((await call(viewer, '/api/jobs?limit=abc')).status).toBe(400);
  const timeline = await getJson<TimelineEvent[]>(viewer, `/api/clusters/${stack.clusterId}/timeline`);
  expect(timeline.filter((e) => e.kind === 'failover')).toEqual(failoverEvents);
  // The same secret still signs both cookies: only the revocation keeps the logged-out one out.
  expect((await call(loggedOut, '/api/jobs')).status).toBe(401);
  expect((await call(viewer, '/api/jobs')).status).toBe(200);
});

test('a job running when the dashboard is killed is interrupted after the restart, and gives the lock back', async ({
  page,
}) => {
  // The job must still run when the dashboard is killed: this dashboard reaches shard 2's replica through a proxy that
  // holds that connection's replies for HOLD_MS once CLUSTER FAILOVER goes through it.
  const HOLD_MS = 4000;
  const replica = stack.dev.replicas.find((r) => r.id === replicaOf(2));
  if (!replica) throw new Error('no replica in shard 2');
  proxy = await replyHoldingProxy(replica.host, replica.port, /\r\nFAILOVER\r\n/, HOLD_MS);
  const config = JSON.parse(await readFile(stack.configPath, 'utf8')) as { clusters: Array<Record<string, unknown>> };
  const [main] = config.clusters;
  if (!main) throw new Error('no cluster in the config');
  main.natMap = { [replica.addr]: `127.0.0.1:${proxy.port}` };
  const viaProxy = path.join(stack.dir, 'via-proxy.config.json');
  await writeFile(viaProxy, JSON.stringify(config, null, 2));
  await dash.restart('SIGTERM', viaProxy);

  let operator = await login('operator');
  await failoverAllowed(operator, replica.id);
  const started = await startFailover(operator, replica.id);
  expect(started.status).toBe(200);
  const { jobId } = (await started.json()) as { jobId: string };
  await waitFor(
    'the failover to be scheduled, its reply held',
    async () => {
      const job = await getJson<Job>(operator, `/api/jobs/${jobId}`);
      return job.steps.some((s) => s.name === 'scheduled' && s.state === 'running') ? true : undefined;
    },
    HOLD_MS / 2,
    25,
  );

  await dash.restart('SIGKILL');
  operator = await login('operator');

  const job = await getJson<Job>(operator, `/api/jobs/${jobId}`);
  expect(job.state).toBe('interrupted');
  // Ended when last heard of, before the kill.
  expect(Date.parse(job.endedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(job.startedAt));
  expect(Date.parse(job.endedAt ?? '')).toBeLessThan(Date.parse(job.startedAt) + HOLD_MS);
  expect(job.error).toMatch(
    /^the dashboard stopped while this job ran \(last heard of at .+, found at .+\); it did not finish$/,
  );
  expect(job.steps.find((s) => s.name === 'scheduled')?.state).toBe('running');
  const log = await readFile(dash.lastLogPath, 'utf8');
  expect(log).toContain(`failover job ${jobId} on ${stack.clusterId} was running when the dashboard stopped`);

  // The operator's page says so: the job INTERRUPTED, with why, and no step still "running…".
  const signIn = await page.request.post(`${dash.base}/api/auth/login`, {
    data: { username: 'operator', password: stack.passwords.operator },
    headers: { origin: dash.base },
  });
  expect(signIn.status()).toBe(204);
  await page.goto(`${dash.base}/clusters/${stack.clusterId}`);
  const shown = page.locator(`[data-testid="failover-job"][data-job-id="${jobId}"]`).first();
  await expect(shown).toHaveAttribute('data-state', 'interrupted');
  await expect(shown).toContainText('INTERRUPTED');
  await expect(shown.getByRole('alert')).toContainText('the dashboard stopped while this job ran');
  await expect(shown.getByTestId('failover-step-took').filter({ hasText: 'running…' })).toHaveCount(0);
  await page.screenshot({ path: path.join(process.env.STORE_SHOTS ?? stack.dir, 'interrupted-failover.png') });

  // A failover leaves nothing open (Redis carries it out): the interrupted job does not hold the cluster. Shard 0's
  // first master, a replica since the first test, is promoted back.
  const failback = stack.dev.masters[0]?.id ?? '';
  await failoverAllowed(operator, failback);
  const next = await startFailover(operator, failback);
  expect(next.status, await next.clone().text()).toBe(200);
  expect((await jobOnceEnded(operator, ((await next.json()) as { jobId: string }).jobId)).state).toBe('succeeded');
});
