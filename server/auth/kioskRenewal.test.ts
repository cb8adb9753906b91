// route() as the wall's snapshot poll reaches it, with a real config file (one cluster nobody answers for; no Redis).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { route } from '../api/handler';
import { applyConfig, currentConfig, stopPollers } from '../collect/pollers';
import { loadConfig } from '../config/load';
import { principalFromToken, SESSION_COOKIE } from './session';
import { createSessionToken, credentialVersion, verifySessionToken } from './sessionToken';

const KIOSK_TOKEN = `kiosk-${randomBytes(16).toString('hex')}`;
const HOUR_MS = 3_600_000;
let dir: string;
let config: Record<string, unknown>;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kiosk-renewal-test-'));
  config = {
    clusters: [{ id: 'none', name: 'Nobody answers', seeds: ['127.0.0.1:1'], pollIntervalMs: 60_000 }],
    users: [{ name: 'viewer', role: 'viewer', passwordHash: await bcrypt.hash('unused', 4) }],
    kioskToken: KIOSK_TOKEN,
    sessionTtlHours: 12,
    auditLogPath: path.join(dir, 'audit.log.jsonl'),
    dataDir: path.join(dir, 'data'),
  };
  process.env.DASHBOARD_CONFIG = path.join(dir, 'dashboard.config.json');
  await writeFile(process.env.DASHBOARD_CONFIG, JSON.stringify(config));
  currentConfig();
});
afterAll(async () => {
  stopPollers();
  await rm(dir, { recursive: true, force: true });
});

/** A session cookie value as the login or kiosk link would have set it, opened `ageHours` ago. */
function sessionOpened(kind: 'user' | 'kiosk', credential: string, ageHours: number): string {
  const { sessionSecret, sessionTtlHours } = currentConfig();
  const ver = credentialVersion(sessionSecret, credential);
  const sub = kind === 'kiosk' ? 'kiosk' : 'viewer';
  return createSessionToken({ sub, kind, ver }, sessionSecret, sessionTtlHours * 3600, Date.now() - ageHours * HOUR_MS)
    .token;
}

const wallPoll = route({ access: 'kiosk' }, async () => ({ ok: true }));

function poll(token: string): Promise<Response> {
  return wallPoll(
    new Request('http://127.0.0.1:3000/api/clusters/none/snapshot?view=wall', {
      headers: { cookie: `${SESSION_COOKIE}=${token}` },
    }),
  );
}

function renewedToken(response: Response): string | undefined {
  const cookie = response.headers.get('set-cookie');
  const match = cookie?.match(new RegExp(`^${SESSION_COOKIE}=([^;]+);`));
  return match?.[1];
}

describe('kiosk session renewal', () => {
  it('a kiosk session past half its life gets a fresh one on a kiosk call; a fresh one does not', async () => {
    const old = await poll(sessionOpened('kiosk', KIOSK_TOKEN, 7));
    expect(old.status).toBe(200);
    const token = renewedToken(old);
    expect(token).toBeDefined();
    const claims = verifySessionToken(token, currentConfig().sessionSecret);
    expect(claims?.kind).toBe('kiosk');
    expect(claims && claims.exp - claims.iat).toBe(12 * 3600);
    expect(claims && Date.now() / 1000 - claims.iat).toBeLessThan(60);
    expect(principalFromToken(token)).toEqual({ kind: 'kiosk' });

    const fresh = await poll(sessionOpened('kiosk', KIOSK_TOKEN, 5));
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('set-cookie')).toBeNull();
  });

  it('never renews a user session, however old', async () => {
    const user = await poll(sessionOpened('user', currentConfig().users[0]?.passwordHash ?? '', 11));
    expect(user.status).toBe(200);
    expect(user.headers.get('set-cookie')).toBeNull();
  });

  it('a renewed session still ends when the kiosk token changes', async () => {
    const token = renewedToken(await poll(sessionOpened('kiosk', KIOSK_TOKEN, 7)));
    expect(principalFromToken(token)).toEqual({ kind: 'kiosk' });
    await writeFile(
      process.env.DASHBOARD_CONFIG ?? '',
      JSON.stringify({ ...config, kioskToken: `kiosk-${randomBytes(16).toString('hex')}` }),
    );
    applyConfig(loadConfig(process.env, { sessionSecret: currentConfig().sessionSecret }));
    expect(principalFromToken(token)).toBeUndefined();
    const refused = await poll(token ?? '');
    expect(refused.status).toBe(401);
    expect(refused.headers.get('set-cookie')).toBeNull();
  });
});
