import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as auditApi } from '@/app/api/audit/route';
import { GET as kiosk } from '@/app/api/auth/kiosk/route';
import { POST as login } from '@/app/api/auth/login/route';
import { POST as setNodeTimeout } from '@/app/api/clusters/[id]/config/node-timeout/route';
import { stopPollers } from '../collect/pollers';

// The audit log through the real route handlers and config: what a refused body, a mistyped password or a secret
// sent under any key leaves in the file, how much a flood of refusals writes, and reading a big or broken log.

const BASE = 'http://127.0.0.1:3000';
const CLUSTER_PASSWORD = `cluster-${randomBytes(9).toString('hex')}`;
const ANN_PASSWORD = `ann-${randomBytes(9).toString('hex')}`;
let dir: string;
let auditPath: string;
let adminCookie: string;

const post = (url: string, body: string, cookie = '') =>
  new Request(`${BASE}${url}`, {
    method: 'POST',
    headers: { origin: BASE, 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body,
  });
const auditText = () => readFile(auditPath, 'utf8');
const lines = async () => (await auditText()).trim().split('\n');

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-int-'));
  auditPath = path.join(dir, 'audit.jsonl');
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      clusters: [{ id: 'c1', name: 'C1', seeds: ['127.0.0.1:1'], password: CLUSTER_PASSWORD }],
      users: [{ name: 'ann', role: 'admin', passwordHash: bcrypt.hashSync(ANN_PASSWORD, 4) }],
      kioskToken: randomBytes(18).toString('base64url'),
      auditLogPath: 'audit.jsonl',
    }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  process.env.DASHBOARD_SESSION_SECRET = randomBytes(32).toString('base64url');
  const response = await login(post('/api/auth/login', JSON.stringify({ username: 'ann', password: ANN_PASSWORD })));
  expect(response.status).toBe(204);
  adminCookie = response.headers.get('set-cookie')?.split(';')[0] ?? '';
});
afterAll(async () => {
  stopPollers();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('what a request leaves in the audit log', () => {
  it('a refused login body with a 10 KB key and 500 more keys: one short line, no key names', async () => {
    const body = `{"${'k'.repeat(10_000)}":1,${Array.from({ length: 500 }, (_, i) => `"x${i}":0`).join(',')}}`;
    expect(body.length).toBeLessThan(16 * 1024);
    const before = (await lines()).length;
    const response = await login(post('/api/auth/login', body));
    expect(response.status).toBe(400);
    expect((await response.text()).length).toBeLessThan(4096);
    const added = (await lines()).slice(before);
    expect(added).toHaveLength(1);
    const [line = ''] = added;
    expect(line.length).toBeLessThan(2048);
    expect(line).not.toContain('kkkkkkkkkk');
    expect(line).not.toContain('"x1"');
    expect(JSON.parse(line)).toMatchObject({
      action: 'auth.login',
      result: 'refused',
      status: 400,
      params: { body: 'object', keys: 501, unknownKeys: 501, invalid: expect.arrayContaining(['username']) },
    });
  });

  it('a password typed into the user name field of a failed login is not written down', async () => {
    const response = await login(
      post('/api/auth/login', JSON.stringify({ username: ANN_PASSWORD, password: 'not-it' })),
    );
    expect(response.status).toBe(401);
    const text = await auditText();
    expect(text).not.toContain(ANN_PASSWORD);
    expect(JSON.parse((await lines()).at(-1) ?? '')).toMatchObject({ user: '(unknown user name)', status: 401 });
  });

  it('a configured cluster password sent in a mutation, under an unknown key or a known one, is not written down', async () => {
    const url = '/api/clusters/c1/config/node-timeout';
    const context = { params: Promise.resolve({ id: 'c1' }) };
    const unknownKey = JSON.stringify({ timeoutMs: 3000, confirm: 'C1', note: CLUSTER_PASSWORD });
    expect((await setNodeTimeout(post(url, unknownKey, adminCookie), context)).status).toBe(400);
    const knownKey = JSON.stringify({ timeoutMs: 3000, confirm: `not ${CLUSTER_PASSWORD}` });
    expect((await setNodeTimeout(post(url, knownKey, adminCookie), context)).status).toBe(400);
    expect(await auditText()).not.toContain(CLUSTER_PASSWORD);
    const [first, second] = (await lines()).slice(-2).map((l) => JSON.parse(l));
    expect(first).toMatchObject({ user: 'ann', params: { unknownKeys: 1, invalid: [] } });
    expect(second).toMatchObject({ user: 'ann', params: { timeoutMs: 3000, confirm: 'not [redacted]' } });
  });

  it('5,000 refused kiosk tokens from one client write a few dozen lines, not 5,000', async () => {
    const before = (await lines()).length;
    for (let i = 0; i < 5000; i++) {
      const response = await kiosk(new Request(`${BASE}/api/auth/kiosk?token=wrong-${i}`));
      expect([401, 429]).toContain(response.status);
    }
    expect((await lines()).length - before).toBeLessThanOrEqual(40);
  });
});

describe('reading the audit log', () => {
  const adminGet = (query = '') =>
    auditApi(new Request(`${BASE}/api/audit${query}`, { headers: { cookie: adminCookie } }));

  it('a 50 MB log is rotated at the next line, and the API answers with the newest entries in bounded memory', async () => {
    // Written directly, as a log that grew before rotation existed.
    const out = createWriteStream(auditPath);
    const filler = JSON.stringify({
      at: '2026-01-01T00:00:00.000Z',
      user: 'ann',
      role: 'admin',
      action: 'old',
      result: 'ok',
      status: 200,
      durationMs: 1,
      params: { pad: 'p'.repeat(150) },
    });
    let written = 0;
    for (let i = 0; written < 50 * 1024 * 1024; i++) {
      const line = `${filler.replace('"old"', `"old-${i}"`)}\n`;
      written += line.length;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const context = { params: Promise.resolve({ id: 'c1' }) };
    const refused = JSON.stringify({ timeoutMs: 3000, confirm: 'wrong' });
    await setNodeTimeout(post('/api/clusters/c1/config/node-timeout', refused, adminCookie), context);
    expect((await stat(`${auditPath}.1`)).size).toBe(written);
    expect((await stat(auditPath)).size).toBeLessThan(4096);

    const before = process.memoryUsage().rss;
    const started = performance.now();
    const response = await adminGet('?limit=1000');
    const entries = (await response.json()) as Array<{ action: string }>;
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(48 * 1024 * 1024);
    expect(response.status).toBe(200);
    expect(entries).toHaveLength(1000);
    expect(entries[0]?.action).toBe('cluster.set-node-timeout');
    expect(entries[1]?.action).toMatch(/^old-\d+$/);
    expect(response.headers.get('x-audit-older-files')).toBe('1');
    expect(response.headers.get('x-audit-truncated')).toBe('true');
    expect((await adminGet('?limit=abc')).status).toBe(400);
  });

  it('a log that cannot be read is a 500 naming the problem, not an empty list', async () => {
    await rm(auditPath);
    await mkdir(auditPath);
    const response = await adminGet();
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({
      error: { code: 'internal', message: 'the audit log cannot be read: EISDIR (audit.jsonl)' },
    });
  });
});
