// Who the dashboard believes is calling, and at which address: the socket peer, X-Forwarded-* only from
// trustedProxies, Host only from allowedHosts (421), and request bodies capped at 64 KiB (413) before they are read.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import { expect, test } from '@playwright/test';
import type { AuditEntry } from '../lib/api/types';
import { waitFor } from '../scripts/test/helpers';
import { type ServerRun, type Stack, startExtraServer, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

const PUBLIC_HOST = 'dash.example.com';
let stack: Stack;
/** The same cluster behind a "proxy" on 127.0.0.1: trustedProxies ["127.0.0.1"], allowedHosts with a public name. */
let behindProxy: ServerRun;

test.beforeAll(async () => {
  stack = await startStack();
  behindProxy = await startExtraServer(
    stack,
    {},
    { trustedProxies: ['127.0.0.1'], allowedHosts: ['127.0.0.1', PUBLIC_HOST] },
  );
});
test.afterAll(async () => {
  behindProxy?.child.kill('SIGTERM');
  await behindProxy?.exited;
  await stack?.stop();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** node:http rather than fetch: it sends Host and X-Forwarded-* exactly as given. */
function send(
  baseURL: string,
  options: { method?: string; path: string; headers?: Record<string, string>; json?: unknown },
): Promise<Answer> {
  const url = new URL(options.path, baseURL);
  const body = options.json === undefined ? undefined : JSON.stringify(options.json);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function login(baseURL: string, username: string, password: string, headers: Record<string, string> = {}) {
  return send(baseURL, {
    method: 'POST',
    path: '/api/auth/login',
    headers: { origin: baseURL, ...headers },
    json: { username, password },
  });
}

async function auditLines(): Promise<AuditEntry[]> {
  const text = await readFile(stack.auditPath, 'utf8').catch(() => '');
  return text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditEntry);
}

/**
 * The audit line of one failed login (a configured user, a wrong password), the first after those already written:
 * unknown user names are not recorded by name, so the line is found by its place.
 */
async function failedLogin(baseURL: string, headers: Record<string, string>): Promise<AuditEntry> {
  const before = (await auditLines()).length;
  const answer = await login(baseURL, 'operator', `wrong-${randomBytes(4).toString('hex')}`, headers);
  expect(answer.status).toBe(401);
  return waitFor(
    'the audit line of the failed login',
    async () =>
      (await auditLines()).slice(before).find((entry) => entry.action === 'auth.login' && entry.status === 401),
    10_000,
  );
}

// First: later tests fail logins from 127.0.0.1, and login throttling must not stand in the way of this one.
test('the Secure cookie flag follows the real scheme, never a client X-Forwarded-Proto', async () => {
  // The kiosk link: a GET (no Origin check in the way) that starts a session.
  const forged = await send(stack.baseURL, {
    path: `/api/auth/kiosk?token=${encodeURIComponent(stack.kioskToken)}&next=/wall`,
    headers: { 'x-forwarded-proto': 'https' },
  });
  expect(forged.status).toBe(303);
  expect(String(forged.headers['set-cookie'])).toMatch(/^rcd_session=/);
  expect(String(forged.headers['set-cookie'])).not.toMatch(/;\s*Secure/i);
  const proxied = await login(behindProxy.baseURL, 'viewer', stack.passwords.viewer, {
    'x-forwarded-proto': 'https',
    'x-forwarded-host': PUBLIC_HOST,
    origin: `https://${PUBLIC_HOST}`,
  });
  expect(proxied.status).toBe(204);
  expect(String(proxied.headers['set-cookie'])).toMatch(/;\s*Secure/i);
});

test('a forged X-Forwarded-For from an untrusted peer does not change the client address', async () => {
  for (const forged of ['203.0.113.1', '203.0.113.2'])
    expect((await failedLogin(stack.baseURL, { 'x-forwarded-for': forged })).ip).toBe('127.0.0.1');
});

test('behind a trusted proxy the client is the right-most untrusted X-Forwarded-For address', async () => {
  const entry = await failedLogin(behindProxy.baseURL, { 'x-forwarded-for': '198.51.100.66, 203.0.113.7' });
  expect(entry.ip).toBe('203.0.113.7');
});

test('a Host outside allowedHosts gets 421 on an API route and on a page', async () => {
  for (const path of ['/api/health', '/login']) {
    expect((await send(stack.baseURL, { path })).status, path).toBe(200);
    const misdirected = await send(stack.baseURL, { path, headers: { host: 'evil.example' } });
    expect(misdirected.status, path).toBe(421);
    // The refusal names the host received and the fix, for the SRE reading it.
    const said: string = path.startsWith('/api/') ? JSON.parse(misdirected.body).error.message : misdirected.body;
    expect(said, path).toContain(
      'does not serve host "evil.example". If that is how users reach it, add it to "allowedHosts"',
    );
  }
  // A client choosing to look like a router prefetch does not skip the check on pages.
  const prefetch = await send(stack.baseURL, {
    path: '/login',
    headers: { host: 'evil.example', 'next-router-prefetch': '1', rsc: '1' },
  });
  expect(prefetch.status).toBe(421);
  const api = await send(stack.baseURL, {
    path: '/api/health',
    headers: { host: `evil.example:${new URL(stack.baseURL).port}` },
  });
  expect(JSON.parse(api.body).error.code).toBe('misdirected');
});

test("X-Forwarded-Host from an untrusted peer does not make its Origin this server's own", async () => {
  const forged = await send(stack.baseURL, {
    method: 'POST',
    path: '/api/auth/logout',
    headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http', origin: 'http://evil.example' },
  });
  expect(forged.status).toBe(403);
  expect(JSON.parse(forged.body).error.code).toBe('forbidden');
  const own = await send(stack.baseURL, {
    method: 'POST',
    path: '/api/auth/logout',
    headers: { origin: stack.baseURL },
  });
  expect(own.status).toBe(204);
});

test('from a trusted proxy X-Forwarded-Host and -Proto are the origin, and still must be allowed hosts', async () => {
  const headers = { 'x-forwarded-host': PUBLIC_HOST, 'x-forwarded-proto': 'https' };
  const own = await send(behindProxy.baseURL, {
    method: 'POST',
    path: '/api/auth/logout',
    headers: { ...headers, origin: `https://${PUBLIC_HOST}` },
  });
  expect(own.status).toBe(204);
  const plainHttp = await send(behindProxy.baseURL, {
    method: 'POST',
    path: '/api/auth/logout',
    headers: { ...headers, origin: `http://${PUBLIC_HOST}` },
  });
  expect(plainHttp.status).toBe(403);
  const evil = await send(behindProxy.baseURL, {
    path: '/login',
    headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
  });
  expect(evil.status).toBe(421);
});

test('a body over 64 KiB with a Content-Length gets 413', async () => {
  const answer = await login(stack.baseURL, 'viewer', 'x'.repeat(100 * 1024));
  expect(answer.status).toBe(413);
  expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
});

test('a chunked body without Content-Length gets 413 at 64 KiB, while the client is still sending', async () => {
  const url = new URL('/api/auth/login', stack.baseURL);
  const request = http.request(url, {
    method: 'POST',
    headers: { origin: stack.baseURL, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
  });
  try {
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      request.on('error', reject);
    });
    request.write('{"username":"viewer","password":"');
    for (let i = 0; i < 5; i++) request.write('x'.repeat(16 * 1024));
    // The body is never ended: the old code waited for its end before checking the size and never answered.
    let deadline: NodeJS.Timeout | undefined;
    const answer = await Promise.race([
      answered,
      new Promise<undefined>((resolve) => {
        deadline = setTimeout(() => resolve(undefined), 15_000);
      }),
    ]);
    clearTimeout(deadline);
    expect(answer?.status).toBe(413);
    expect(JSON.parse(answer?.body ?? '{}').error.code).toBe('payload_too_large');
  } finally {
    request.destroy();
  }
});

test('guessing a user name from one client does not lock that user out at another client', async () => {
  const attacker = { 'x-forwarded-for': '198.51.100.10' };
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++)
    statuses.push((await login(behindProxy.baseURL, 'admin', `guess-${i}`, attacker)).status);
  expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
  expect(statuses.slice(5)).toContain(429);
  // The attacker is refused even with the right password while it backs off...
  expect((await login(behindProxy.baseURL, 'admin', stack.passwords.admin, attacker)).status).toBe(429);
  // ...and the real admin, from elsewhere, logs in.
  const admin = await login(behindProxy.baseURL, 'admin', stack.passwords.admin, {
    'x-forwarded-for': '198.51.100.20',
  });
  expect(admin.status).toBe(204);
});
