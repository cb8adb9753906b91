import { expect, test } from '@playwright/test';
import type { Access } from '../lib/auth/access';
import { type ApiRoute, apiRoutes, isMutation } from './support/routes';
import { type Stack, startStack, type UserRole } from './support/stack';

test.describe.configure({ mode: 'serial' });

/**
 * Route × method → who may call it. A route found on disk without a row here fails the first test, so a new route
 * cannot ship without a decision about who may call it. "metrics" marks the one route a Prometheus bearer token opens.
 */
const MATRIX: Record<string, Access> = {
  'GET /api/audit': 'admin',
  'GET /api/audit/export': 'admin',
  'GET /api/auth/kiosk': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  'GET /api/auth/session': 'kiosk',
  'GET /api/clusters': 'kiosk',
  'POST /api/clusters/[id]/bgsave': 'operator',
  'POST /api/clusters/create': 'admin',
  'POST /api/clusters/create/add-to-config': 'admin',
  'POST /api/clusters/create/plan': 'admin',
  'POST /api/clusters/[id]/bigkeys': 'operator',
  'GET /api/clusters/[id]/config/diff': 'viewer',
  'POST /api/clusters/[id]/config/node-timeout': 'admin',
  'POST /api/clusters/[id]/config/set': 'admin',
  'GET /api/clusters/[id]/config/set/plan': 'viewer',
  'POST /api/clusters/[id]/drain': 'operator',
  'POST /api/clusters/[id]/drain/plan': 'operator',
  'POST /api/clusters/[id]/failover': 'operator',
  'GET /api/clusters/[id]/failover/plan': 'viewer',
  'GET /api/clusters/[id]/findings': 'viewer',
  'POST /api/clusters/[id]/fix': 'operator',
  'POST /api/clusters/[id]/fix/plan': 'operator',
  'GET /api/clusters/[id]/history': 'viewer',
  'GET /api/clusters/[id]/keyslot': 'viewer',
  'GET /api/clusters/[id]/latency': 'viewer',
  'POST /api/clusters/[id]/nodes': 'operator',
  'POST /api/clusters/[id]/nodes/plan': 'operator',
  'GET /api/clusters/[id]/nodes/[nodeId]': 'viewer',
  'GET /api/clusters/[id]/nodes/[nodeId]/links': 'viewer',
  'POST /api/clusters/[id]/nodes/[nodeId]/remove': 'admin',
  'GET /api/clusters/[id]/nodes/[nodeId]/remove/plan': 'admin',
  'POST /api/clusters/[id]/nodes/[nodeId]/replicate': 'operator',
  'GET /api/clusters/[id]/nodes/[nodeId]/replicate/plan': 'operator',
  'GET /api/clusters/[id]/nodes/[nodeId]/slowlog': 'viewer',
  'POST /api/clusters/[id]/rebalance': 'operator',
  'POST /api/clusters/[id]/rebalance/plan': 'operator',
  'POST /api/clusters/[id]/reshard': 'operator',
  'POST /api/clusters/[id]/reshard/plan': 'operator',
  'POST /api/clusters/[id]/rolling-restart': 'operator',
  'POST /api/clusters/[id]/rolling-restart/plan': 'operator',
  'POST /api/clusters/[id]/sentinel-failover': 'operator',
  'GET /api/clusters/[id]/sentinel-failover/plan': 'viewer',
  'GET /api/clusters/[id]/slots/[slot]': 'viewer',
  'GET /api/clusters/[id]/slots/heat': 'viewer',
  'GET /api/clusters/[id]/slowlog': 'viewer',
  'GET /api/clusters/[id]/snapshot': 'kiosk',
  'GET /api/clusters/[id]/stream': 'kiosk',
  'POST /api/clusters/[id]/targets/check': 'admin',
  'GET /api/clusters/[id]/timeline': 'viewer',
  'GET /api/health': 'public',
  'GET /api/jobs': 'viewer',
  'GET /api/jobs/[jobId]': 'viewer',
  'POST /api/jobs/[jobId]/advance': 'operator',
  'POST /api/jobs/[jobId]/cancel': 'operator',
  'POST /api/jobs/[jobId]/resume': 'operator',
  'POST /api/jobs/[jobId]/rollback': 'operator',
  'GET /api/metrics': 'viewer',
};
const BEARER_ROUTES = new Set(['GET /api/metrics']);

type Caller = 'anonymous' | 'kiosk' | 'metrics' | UserRole;
const CALLERS: Caller[] = ['anonymous', 'kiosk', 'metrics', 'viewer', 'operator', 'admin'];
const RANK: Record<UserRole, number> = { viewer: 1, operator: 2, admin: 3 };

/** What the matrix promises a caller: a refusal status, or "answered" (the route ran; any other status). */
function expected(caller: Caller, access: Access, key: string): 401 | 403 | 'answered' {
  if (access === 'public') return 'answered';
  if (caller === 'metrics') return BEARER_ROUTES.has(key) ? 'answered' : 401;
  if (caller === 'anonymous') return 401;
  if (caller === 'kiosk') return access === 'kiosk' ? 'answered' : 403;
  return access === 'kiosk' || RANK[caller] >= RANK[access] ? 'answered' : 403;
}

let stack: Stack;
let routes: ApiRoute[];
const cookies = new Map<Caller, string>();

const rowKey = (method: string, route: ApiRoute) => `${method} ${route.pattern}`;

async function userCookie(role: UserRole): Promise<string> {
  const response = await fetch(`${stack.baseURL}/api/auth/login`, {
    method: 'POST',
    headers: { origin: stack.baseURL, 'content-type': 'application/json' },
    body: JSON.stringify({ username: role, password: stack.passwords[role] }),
  });
  expect(response.status, `login as ${role}`).toBe(204);
  return response.headers.get('set-cookie')?.split(';')[0] ?? '';
}

async function kioskCookie(): Promise<string> {
  const response = await fetch(`${stack.baseURL}/api/auth/kiosk?token=${stack.kioskToken}&next=/wall`, {
    redirect: 'manual',
  });
  expect(response.status, 'kiosk token exchange').toBe(303);
  return response.headers.get('set-cookie')?.split(';')[0] ?? '';
}

/** One call; only the status matters, so a stream's body is dropped at once. */
async function statusOf(caller: Caller, method: string, path: string): Promise<number> {
  const headers: Record<string, string> = { origin: stack.baseURL };
  const cookie = cookies.get(caller);
  if (cookie) headers.cookie = cookie;
  if (caller === 'metrics') headers.authorization = `Bearer ${stack.metricsToken}`;
  const mutation = isMutation(method);
  if (mutation) headers['content-type'] = 'application/json';
  const response = await fetch(`${stack.baseURL}${path}`, {
    method,
    headers,
    redirect: 'manual',
    // An empty object: enough to pass the role check and fail validation, so no call changes the cluster.
    ...(mutation ? { body: JSON.stringify({ top: 0 }) } : {}),
  });
  await response.body?.cancel();
  return response.status;
}

test.beforeAll(async () => {
  stack = await startStack();
  routes = await apiRoutes({ id: stack.clusterId, nodeId: stack.dev.nodes[0]?.id ?? 'none', slot: '0', jobId: 'none' });
  for (const role of ['viewer', 'operator', 'admin'] as const) cookies.set(role, await userCookie(role));
  cookies.set('kiosk', await kioskCookie());
});
test.afterAll(async () => {
  await stack?.stop();
});

test('every route and method on disk has a row in the matrix, and every row a route', () => {
  const onDisk = routes.flatMap((route) => route.methods.map((method) => rowKey(method, route)));
  expect(onDisk.length).toBeGreaterThan(30);
  expect(
    onDisk.filter((key) => !(key in MATRIX)),
    'routes without a row',
  ).toEqual([]);
  expect(
    Object.keys(MATRIX).filter((key) => !onDisk.includes(key)),
    'rows without a route',
  ).toEqual([]);
});

for (const caller of CALLERS) {
  test(`${caller}: every route answers as the matrix says`, async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      for (const method of route.methods) {
        const key = rowKey(method, route);
        // Logging out would end the session the other rows need; it is public and checked last, on its own.
        if (key === 'POST /api/auth/logout') continue;
        const access = MATRIX[key];
        if (!access) continue;
        const want = expected(caller, access, key);
        const status = await statusOf(caller, method, route.path);
        // A public route's own answer (the kiosk exchange refuses a missing token with 401) is checked below.
        const ok =
          access === 'public'
            ? status < 500
            : want === 'answered'
              ? status !== 401 && status !== 403 && status < 500
              : status === want;
        if (!ok) wrong.push(`${key}: ${status}, expected ${want}`);
      }
    }
    expect(wrong).toEqual([]);
  });
}

test('a public route answers every caller alike', async () => {
  const statuses = new Map<string, Set<number>>();
  for (const caller of CALLERS) {
    for (const key of Object.keys(MATRIX).filter((k) => MATRIX[k] === 'public' && !k.endsWith('/logout'))) {
      const [method = 'GET', pattern] = key.split(' ');
      const route = routes.find((r) => r.pattern === pattern);
      if (!route) continue;
      const seen = statuses.get(key) ?? new Set<number>();
      seen.add(await statusOf(caller, method, route.path));
      statuses.set(key, seen);
    }
  }
  for (const [key, seen] of statuses) expect([...seen], key).toHaveLength(1);
  // Logging out: every caller gets 204, and afterwards the session no longer opens anything.
  for (const caller of ['viewer', 'kiosk'] as const) {
    expect(await statusOf(caller, 'POST', '/api/auth/logout')).toBe(204);
    expect(await statusOf(caller, 'GET', '/api/clusters')).toBe(401);
  }
});
