import { readFile } from 'node:fs/promises';
import { type APIRequestContext, expect, request as playwrightRequest, test } from '@playwright/test';
import { type ApiRoute, apiRoutes, isMutation } from './support/routes';
import { loginAs, type ServerRun, type Stack, startExtraServer, startStack, type UserRole } from './support/stack';

test.describe.configure({ mode: 'serial' });

/** Routes anyone may call: logging in and out, the health check, and the kiosk-token exchange (it checks the token). */
const PUBLIC = new Set(['POST /api/auth/login', 'POST /api/auth/logout', 'GET /api/health', 'GET /api/auth/kiosk']);
/** A body that is valid except for the confirmation, per destructive route. */
const DESTRUCTIVE_BODIES: Record<string, Record<string, unknown>> = {
  '/api/clusters/[id]/config/node-timeout': { timeoutMs: 3000, confirm: 'not the cluster name' },
  '/api/clusters/[id]/config/set': { params: { 'maxmemory-samples': '5' }, confirm: 'not the parameter names' },
  '/api/clusters/[id]/failover': { replicaId: 'a'.repeat(40), mode: 'default', confirm: 'b'.repeat(40) },
  '/api/clusters/[id]/reshard': { target: 'a'.repeat(40), slots: [[0, 0]], confirm: 'not the cluster name' },
  '/api/clusters/[id]/rebalance': { useEmptyMasters: true, confirm: 'not the cluster name' },
  '/api/clusters/[id]/drain': { nodeId: 'a'.repeat(40), confirm: 'b'.repeat(40) },
  '/api/clusters/[id]/fix': { confirm: 'not the cluster name' },
  '/api/clusters/[id]/nodes': { addr: '127.0.0.1:1', role: 'master', confirm: 'not the address' },
  '/api/clusters/[id]/nodes/[nodeId]/remove': { confirm: 'not the node id' },
  '/api/clusters/[id]/nodes/[nodeId]/replicate': { masterId: 'a'.repeat(40), confirm: 'not the node id' },
  '/api/clusters/[id]/rolling-restart': { confirm: 'not the cluster name' },
  '/api/clusters/create': { nodes: ['127.0.0.1:1'], replicas: 0, nodeIds: {}, confirm: 'not the first address' },
  '/api/clusters/[id]/sentinel-failover': { confirm: 'not the deployment name' },
};

/**
 * Routes of Sentinel deployments: this file's stack has a cluster, and asked with a cluster's id they answer 404 (no
 * Sentinel deployment) before any confirmation. Their typed confirmation and roles are checked on a real deployment in
 * server/sentinel/sentinelFailover.int.test.ts and e2e/sentinel.spec.ts.
 */
const SENTINEL_ONLY = new Set(['/api/clusters/[id]/sentinel-failover']);

let stack: Stack;
let routes: ApiRoute[];
const contexts: APIRequestContext[] = [];

async function session(role: UserRole | undefined, baseURL = stack.baseURL): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext();
  contexts.push(context);
  if (role) await loginAs(context, { ...stack, baseURL }, role);
  return context;
}

function call(
  context: APIRequestContext,
  baseURL: string,
  method: string,
  path: string,
  origin: string | null = baseURL,
) {
  const headers: Record<string, string> = origin === null ? {} : { origin };
  return context.fetch(`${baseURL}${path}`, {
    method,
    headers,
    data: isMutation(method) ? {} : undefined,
    maxRedirects: 0,
  });
}

const each = (filter: (route: ApiRoute, method: string) => boolean) =>
  routes.flatMap((route) => route.methods.filter((m) => filter(route, m)).map((method) => ({ route, method })));

test.beforeAll(async () => {
  stack = await startStack();
  routes = await apiRoutes({ id: stack.clusterId, nodeId: stack.dev.nodes[0]?.id ?? 'none', slot: '0', jobId: 'none' });
});
test.afterAll(async () => {
  await Promise.all(contexts.map((c) => c.dispose()));
  await stack?.stop();
});

test('the route list is found on disk and every handler declares its methods', () => {
  expect(routes.length).toBeGreaterThanOrEqual(12);
  for (const route of routes) expect(route.methods, route.pattern).not.toEqual([]);
  for (const route of routes.filter((r) => r.destructive))
    expect(DESTRUCTIVE_BODIES[route.pattern], `${route.pattern} needs a body`).toBeDefined();
});

test('without a session every route answers 401, except the public ones', async () => {
  const anonymous = await session(undefined);
  const checked = each((route, method) => !PUBLIC.has(`${method} ${route.pattern}`));
  expect(checked.length).toBeGreaterThan(8);
  for (const { route, method } of checked) {
    const response = await call(anonymous, stack.baseURL, method, route.path);
    expect(response.status(), `${method} ${route.pattern}`).toBe(401);
    expect((await response.json()).error.code).toBe('unauthenticated');
  }
});

test('a viewer gets 403 on every mutating route', async () => {
  const viewer = await session('viewer');
  const mutations = each((route, method) => isMutation(method) && !PUBLIC.has(`${method} ${route.pattern}`));
  expect(mutations.length).toBeGreaterThanOrEqual(2);
  for (const { route, method } of mutations) {
    const response = await call(viewer, stack.baseURL, method, route.path);
    expect(response.status(), `${method} ${route.pattern}`).toBe(403);
  }
});

test('a mutation with a foreign, missing or null Origin is refused with 403, whoever sends it', async () => {
  const admin = await session('admin');
  for (const { route, method } of each((_, m) => isMutation(m))) {
    for (const origin of ['https://evil.example', null, 'null']) {
      const response = await call(admin, stack.baseURL, method, route.path, origin);
      expect(response.status(), `${method} ${route.pattern} with Origin ${origin}`).toBe(403);
    }
  }
});

test('a destructive call without the right typed confirmation answers 400', async () => {
  const admin = await session('admin');
  for (const { route, method } of each((r, m) => r.destructive && isMutation(m) && !SENTINEL_ONLY.has(r.pattern))) {
    const response = await admin.fetch(`${stack.baseURL}${route.path}`, {
      method,
      headers: { origin: stack.baseURL },
      data: DESTRUCTIVE_BODIES[route.pattern],
    });
    expect(response.status(), route.pattern).toBe(400);
    expect((await response.json()).error.code).toBe('confirmation_required');
  }
});

test('the read-only switch refuses every mutating route, for an admin too', async () => {
  let readOnly: ServerRun | undefined;
  try {
    readOnly = await startExtraServer(stack, { DASHBOARD_READ_ONLY: '1' });
    const admin = await session('admin', readOnly.baseURL);
    for (const { route, method } of each((r, m) => isMutation(m) && !PUBLIC.has(`${m} ${r.pattern}`))) {
      const response = await admin.fetch(`${readOnly.baseURL}${route.path}`, {
        method,
        headers: { origin: readOnly.baseURL },
        data: DESTRUCTIVE_BODIES[route.pattern] ?? {},
      });
      expect(response.status(), `${method} ${route.pattern}`).toBe(403);
      expect((await response.json()).error.code).toBe('read_only');
    }
    const session2 = await admin.get(`${readOnly.baseURL}/api/auth/session`);
    expect(await session2.json()).toMatchObject({ user: 'admin', role: 'admin', readOnly: true });
  } finally {
    readOnly?.child.kill('SIGTERM');
    await readOnly?.exited;
  }
});

test('every mutation attempt and every failed login leaves one audit line', async () => {
  const linesBefore = (await readFile(stack.auditPath, 'utf8')).trim().split('\n').length;
  const anonymous = await session(undefined);
  const viewer = await session('viewer');
  const admin = await session('admin');
  const attempts = [
    () => call(anonymous, stack.baseURL, 'POST', `/api/clusters/${stack.clusterId}/config/node-timeout`),
    () => call(viewer, stack.baseURL, 'POST', `/api/clusters/${stack.clusterId}/targets/check`),
    () => call(admin, stack.baseURL, 'POST', `/api/clusters/${stack.clusterId}/targets/check`, 'https://evil.example'),
    () =>
      anonymous.post(`${stack.baseURL}/api/auth/login`, {
        headers: { origin: stack.baseURL },
        data: { username: 'admin', password: 'definitely-wrong' },
      }),
  ];
  for (const attempt of attempts) await attempt();
  const lines = (await readFile(stack.auditPath, 'utf8')).trim().split('\n');
  // The three logins of this test (two successes for viewer/admin) are attempts too.
  expect(lines.length - linesBefore).toBe(attempts.length + 2);
  const entries = lines.slice(linesBefore).map((l) => JSON.parse(l));
  expect(entries).toContainEqual(
    expect.objectContaining({
      user: 'anonymous',
      action: 'cluster.set-node-timeout',
      result: 'refused',
      status: 401,
      cluster: 'e2e',
    }),
  );
  expect(entries).toContainEqual(
    expect.objectContaining({ user: 'viewer', role: 'viewer', action: 'target.check', result: 'refused', status: 403 }),
  );
  expect(entries).toContainEqual(
    expect.objectContaining({
      user: 'admin',
      action: 'target.check',
      result: 'refused',
      reason: expect.stringMatching(/Origin/),
    }),
  );
  const failedLogin = entries.find((e) => e.action === 'auth.login' && e.status === 401);
  expect(failedLogin).toMatchObject({ user: 'admin', role: 'none', result: 'refused', params: { username: 'admin' } });
  expect(JSON.stringify(failedLogin)).not.toContain('definitely-wrong');
  for (const e of entries)
    expect(Object.keys(e)).toEqual(
      expect.arrayContaining(['at', 'user', 'role', 'action', 'result', 'status', 'durationMs']),
    );
});

test('wrong passwords for one user name from one address back off, and an empty password never matches', async () => {
  const anonymous = await session(undefined);
  const attempt = (password: string) =>
    anonymous.post(`${stack.baseURL}/api/auth/login`, {
      headers: { origin: stack.baseURL },
      data: { username: 'operator', password },
    });
  expect((await attempt('')).status()).toBe(401);
  for (let i = 0; i < 4; i++) expect((await attempt(`wrong-${i}`)).status()).toBe(401);
  const limited = await attempt(stack.passwords.operator);
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()['retry-after'])).toBeGreaterThan(0);
});

test('logging out ends the session on the server, not only in the browser', async () => {
  const viewer = await session('viewer');
  const cookie = (await viewer.storageState()).cookies.find((c) => c.name === 'rcd_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect((await viewer.get(`${stack.baseURL}/api/clusters`)).status()).toBe(200);
  expect((await viewer.post(`${stack.baseURL}/api/auth/logout`, { headers: { origin: stack.baseURL } })).status()).toBe(
    204,
  );
  // Replaying the old cookie after logout is refused.
  const replay = await session(undefined);
  const response = await replay.get(`${stack.baseURL}/api/clusters`, {
    headers: { cookie: `rcd_session=${cookie?.value}` },
  });
  expect(response.status()).toBe(401);
});
