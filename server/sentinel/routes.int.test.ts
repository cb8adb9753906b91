import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as findingsRoute } from '@/app/api/clusters/[id]/findings/route';
import { GET as historyRoute } from '@/app/api/clusters/[id]/history/route';
import { GET as latencyRoute } from '@/app/api/clusters/[id]/latency/route';
import { POST as reshardPlanRoute } from '@/app/api/clusters/[id]/reshard/plan/route';
import { GET as slowlogRoute } from '@/app/api/clusters/[id]/slowlog/route';
import { GET as snapshotRoute } from '@/app/api/clusters/[id]/snapshot/route';
import { GET as timelineRoute } from '@/app/api/clusters/[id]/timeline/route';
import { GET as listRoute } from '@/app/api/clusters/route';
import { GET as metricsRoute } from '@/app/api/metrics/route';
import type { Finding } from '@/lib/findings/types';
import type { SentinelWallSnapshot } from '@/lib/sentinel/wall';
import { waitFor } from '../../scripts/devcluster/cluster';
import { type SentinelGroup, startSentinelGroup } from '../../scripts/sentinelgroup/sentinelGroup';
import { sessionCookie } from '../auth/session';
import { getSentinelPoller, stopPollers } from '../collect/pollers';
import { reloadConfig } from '../config/reload';
import { startJob } from '../jobs/registry';

const HASH = `$2b$10$${'a'.repeat(53)}`;
const ORIGIN = 'http://127.0.0.1';
let group: SentinelGroup;
let dir: string;

function config(sentinelExtra: Record<string, unknown> = {}) {
  return JSON.stringify({
    clusters: [
      // A cluster nobody runs: listed beside the deployment, its poller finds nothing (not what this file tests).
      { id: 'c', name: 'Cluster', seeds: ['127.0.0.1:1'], pollIntervalMs: 1000 },
      group.configEntry({
        id: 's',
        name: 'Sessions',
        pollIntervalMs: 250,
        nodeDeadlineMs: 600,
        ...sentinelExtra,
      }),
    ],
    users: [
      { name: 'vera', role: 'viewer', passwordHash: HASH },
      { name: 'otto', role: 'operator', passwordHash: HASH },
      { name: 'ada', role: 'admin', passwordHash: HASH },
    ],
    auditLogPath: 'audit.jsonl',
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sentinel-routes-'));
  group = await startSentinelGroup();
  await writeFile(path.join(dir, 'config.json'), config());
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  process.env.DASHBOARD_SESSION_SECRET = 'sentinel-routes-secret-0123456789abcdef';
  await waitFor(
    'the first full poll',
    async () => {
      const s = getSentinelPoller('s')?.latest;
      return s?.master?.reachable && s.replicas.length === 2 && s.haproxy?.reachable ? true : undefined;
    },
    30_000,
  );
}, 120_000);
afterAll(async () => {
  stopPollers();
  await group?.stop();
  await rm(dir, { recursive: true, force: true });
});

function cookieOf(user: string): string {
  return sessionCookie(new Request(`${ORIGIN}/`), { sub: user, kind: 'user' }, HASH).split(';')[0] ?? '';
}

type Handler = (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>;

async function call(handler: unknown, url: string, init: RequestInit & { user?: string } = {}) {
  const { user = 'vera', ...rest } = init;
  const headers = new Headers(rest.headers);
  headers.set('cookie', cookieOf(user));
  if (rest.method && rest.method !== 'GET') headers.set('origin', ORIGIN);
  const id = /\/api\/clusters\/([^/?]+)/.exec(url)?.[1] ?? '';
  const response = await (handler as Handler)(new Request(`${ORIGIN}${url}`, { ...rest, headers }), {
    params: Promise.resolve({ id }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the API for a Sentinel deployment', () => {
  it('GET /api/clusters lists every entry with its kind', async () => {
    const { body } = await call(listRoute, '/api/clusters');
    expect(body).toEqual([
      { id: 'c', name: 'Cluster', kind: 'cluster' },
      { id: 's', name: 'Sessions', kind: 'sentinel' },
    ]);
  });

  it('GET /snapshot answers the SentinelSnapshot with ageMs and pollIntervalMs', async () => {
    const { status, body } = await call(snapshotRoute, '/api/clusters/s/snapshot');
    expect(status).toBe(200);
    expect(body).toMatchObject({ kind: 'sentinel', clusterId: 's', masterName: group.masterName, pollIntervalMs: 250 });
    expect(body.ageMs).toEqual(expect.any(Number));
    expect(body.master).toMatchObject({ addr: group.master.addr, role: 'master' });
    expect(body.haproxy).toMatchObject({ source: 'socket', reachable: true, backend: group.haproxy?.backend });
  });

  it('GET /snapshot?view=wall answers the wall glance of the deployment', async () => {
    const { body } = await call(snapshotRoute, '/api/clusters/s/snapshot?view=wall');
    const wall = body as unknown as SentinelWallSnapshot;
    expect(wall).toMatchObject({ kind: 'sentinel', nodesUp: 3, nodesKnown: 3, masters: 1, sentinelsUp: 3 });
    expect(wall.haproxyOk).toBe(true);
    expect(wall.shards).toEqual([expect.objectContaining({ addr: group.master.addr, state: 'up' })]);
    expect(Object.keys(wall)).not.toContain('sentinels');
  });

  it('GET /findings answers the Sentinel findings', async () => {
    const { status, body } = await call(findingsRoute, '/api/clusters/s/findings');
    expect(status).toBe(200);
    const findings = body as unknown as Finding[];
    expect(findings.map((f) => f.code)).toEqual(['sentinel_no_min_replicas']);
    expect(findings[0]?.nodeIds).toEqual([group.master.addr]);
  });

  it('cluster-only routes refuse a Sentinel id with a 400 naming the route, never a 404 or 500', async () => {
    for (const [handler, url] of [
      [timelineRoute, '/api/clusters/s/timeline'],
      [latencyRoute, '/api/clusters/s/latency'],
    ] as const) {
      const { status, body } = await call(handler, url);
      expect(status, url).toBe(400);
      expect((body.error as { message: string }).message).toContain(
        `"s" is a Sentinel deployment: ${url.split('/').pop()} is for clusters`,
      );
    }
    const plan = await call(reshardPlanRoute, '/api/clusters/s/reshard/plan', {
      method: 'POST',
      user: 'otto',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'b'.repeat(40), count: 10, sources: 'all' }),
    });
    expect(plan.status).toBe(400);
    expect((plan.body.error as { message: string }).message).toContain('reshard/plan is for clusters');
  });

  it('GET /history and /slowlog answer the data nodes (nodeId = addr), as for a cluster', async () => {
    await group.client(group.master.addr).call('DEBUG', 'SLEEP', '0.02');
    const history = await waitFor(
      'two history points per node',
      async () => {
        const { body } = await call(historyRoute, '/api/clusters/s/history?window=15m');
        const nodes = body.nodes as Array<{
          nodeId: string;
          role: string;
          t: number[];
          series: Record<string, unknown[]>;
        }>;
        return nodes.length === 3 && nodes.every((n) => n.t.length >= 2) ? nodes : undefined;
      },
      15_000,
    );
    expect(history.map((n) => n.nodeId).sort()).toEqual(group.dataNodes.map((n) => n.addr).sort());
    expect(history.find((n) => n.nodeId === group.master.addr)?.role).toBe('master');
    expect(history[0]?.series.used_memory?.length).toBeGreaterThanOrEqual(2);
    // Each poll's INFO round trip per data node, kept as ping_ms: the trends' latency chart for a deployment.
    for (const n of history)
      expect(
        n.series.ping_ms?.some((v) => typeof v === 'number' && v > 0),
        n.nodeId,
      ).toBe(true);
    const { status, body } = await call(slowlogRoute, '/api/clusters/s/slowlog');
    expect(status).toBe(200);
    const entries = body.entries as Array<{ addr: string; args: string[] }>;
    expect(
      entries.some((e) => e.addr === group.master.addr && e.args.join(' ').toUpperCase().startsWith('DEBUG SLEEP')),
    ).toBe(true);
  });

  // After /slowlog's own test: the sweep reads the slow log, which is then cached for a while.
  it('every GET route under /api/clusters/{id} answers a Sentinel id with its data or a 400 saying it is for clusters: never 404 or 500', async () => {
    const root = path.resolve('app/api/clusters/[id]');
    const files = (await readdir(root, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile() && e.name === 'route.ts')
      .map((e) => path.join(e.parentPath, e.name));
    const answered: string[] = [];
    for (const file of files.sort()) {
      const route = (await import(file)) as { GET?: unknown };
      if (!route.GET) continue;
      const sub = path.relative(root, path.dirname(file)).split(path.sep).join('/');
      const params = { id: 's', nodeId: group.master.addr, slot: '0' };
      const filled = sub.replace(/\[([^\]]+)\]/g, (_, name: keyof typeof params) => encodeURIComponent(params[name]));
      // Queries the routes validate before they look the id up.
      const query: Record<string, string> = {
        'config/set/plan': '?names=maxmemory',
        'nodes/[nodeId]/replicate/plan': `?masterId=${'a'.repeat(40)}`,
        keyslot: '?key=k',
      };
      const url = `/api/clusters/s/${filled}${query[sub] ?? ''}`;
      const response = await (route.GET as (r: Request, c: { params: Promise<typeof params> }) => Promise<Response>)(
        new Request(`${ORIGIN}${url}`, { headers: { cookie: cookieOf('ada') } }),
        { params: Promise.resolve(params) },
      );
      const body = await response.text();
      if (response.status === 400)
        expect((JSON.parse(body) as { error: { message: string } }).error.message, url).toContain(
          '"s" is a Sentinel deployment',
        );
      else expect(response.status, `${url}: ${body.slice(0, 300)}`).toBe(200);
      answered.push(`${response.status} ${sub}`);
    }
    // The deployment's own routes answer; the cluster-only ones (a dozen and more) refuse.
    expect(answered).toEqual(expect.arrayContaining(['200 snapshot', '200 findings', '200 history', '200 slowlog']));
    expect(answered.filter((a) => a.startsWith('400')).length).toBeGreaterThan(10);
  });

  it('GET /api/metrics carries the deployment beside the clusters', async () => {
    const request = new Request(`${ORIGIN}/api/metrics`, { headers: { cookie: cookieOf('vera') } });
    const text = await (await metricsRoute(request)).text();
    const families = parsePrometheus(text);
    const up = families.find((f) => f.name === 'redis_sentinel_up')?.metrics ?? [];
    expect(up.map((m) => [m.labels?.addr, m.value])).toEqual(group.sentinelAddrs.map((a) => [a, '1']));
    const routed = families.find((f) => f.name === 'redis_haproxy_server_routed')?.metrics ?? [];
    expect(routed.filter((m) => m.value === '1').map((m) => m.labels?.addr)).toEqual([group.master.addr]);
  });

  it('a reload while a job runs on the deployment keeps its poller until the job ends, then replaces it', async () => {
    const poller = getSentinelPoller('s');
    let finish = () => {};
    startJob('test', 's', 'otto', () => new Promise<void>((resolve) => (finish = resolve)));
    await writeFile(path.join(dir, 'config.json'), config({ pollIntervalMs: 300 }));
    const result = reloadConfig('SIGHUP');
    expect('sync' in result ? result.sync.deferred : []).toEqual(['s']);
    expect(getSentinelPoller('s')).toBe(poller);
    const before = poller?.polls ?? 0;
    await waitFor('the kept poller to poll', async () => ((poller?.polls ?? 0) > before ? true : undefined), 5000, 50);
    finish();
    const next = await waitFor(
      'the poller to be replaced',
      async () => {
        const now = getSentinelPoller('s');
        return now !== poller ? now : undefined;
      },
      5000,
    );
    expect(next?.deployment.pollIntervalMs).toBe(300);
  });

  it('a reload that changes the entry replaces its poller (here: HAProxy read over its HTTP CSV); one that removes it stops it (then 404)', async () => {
    const before = getSentinelPoller('s');
    const statsUrl = group.haproxy?.statsUrl ?? '';
    await writeFile(
      path.join(dir, 'config.json'),
      config({ pollIntervalMs: 500, haproxy: { statsUrl, backend: group.haproxy?.backend ?? 'redis' } }),
    );
    reloadConfig('SIGHUP');
    const after = getSentinelPoller('s');
    expect(after).toBeDefined();
    expect(after).not.toBe(before);
    expect(after?.deployment.pollIntervalMs).toBe(500);
    const polled = await waitFor('a poll of the new poller', async () => after?.latest, 10_000);
    // The harness's stats page has no `stats show-legends`: statuses read, addresses absent, and said so.
    expect(polled.haproxy).toMatchObject({ source: 'url', reachable: true });
    expect(polled.haproxy?.servers.filter((x) => x.routed)).toHaveLength(1);
    const { body } = await call(findingsRoute, '/api/clusters/s/findings');
    const codes = (body as unknown as Finding[]).map((f) => f.code);
    expect(codes).toContain('haproxy_servers_unmatched');
    expect(codes).not.toContain('haproxy_wrong_master');
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({ ...JSON.parse(config()), clusters: [JSON.parse(config()).clusters[0]] }),
    );
    reloadConfig('SIGHUP');
    expect(getSentinelPoller('s')).toBeUndefined();
    const { status } = await call(snapshotRoute, '/api/clusters/s/snapshot');
    expect(status).toBe(404);
  });
});
