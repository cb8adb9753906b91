// login() as the route calls it, with a real config file (one cluster nobody answers for; no Redis needed), the real
// worker pool and real bcrypt. Client addresses are passed explicitly, as the route passes clientIp(request).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { currentConfig, stopPollers } from '../collect/pollers';
import { login } from './login';
import { PASSWORD_CHECK_QUEUE, PASSWORD_CHECK_WORKERS, passwordChecks } from './password';

const ADMIN_PASSWORD = `admin-${randomBytes(6).toString('hex')}`;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'login-test-'));
  const config = {
    clusters: [{ id: 'none', name: 'Nobody answers', seeds: ['127.0.0.1:1'], pollIntervalMs: 60_000 }],
    users: [{ name: 'admin', role: 'admin', passwordHash: await bcrypt.hash(ADMIN_PASSWORD, 4) }],
    auditLogPath: path.join(dir, 'audit.log.jsonl'),
    dataDir: path.join(dir, 'data'),
  };
  process.env.DASHBOARD_CONFIG = path.join(dir, 'dashboard.config.json');
  await writeFile(process.env.DASHBOARD_CONFIG, JSON.stringify(config));
  currentConfig();
});
afterAll(async () => {
  stopPollers();
  await passwordChecks().close();
  await rm(dir, { recursive: true, force: true });
});

/** The HTTP status login() ends in: 204 (session started), or the ApiError's. */
async function status(username: string, password: string, ip: string): Promise<number> {
  try {
    await login({ username, password }, ip);
    return 204;
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
}

describe('login throttling', () => {
  it('guessing admin from one address never locks admin out at another address', async () => {
    const attacker = '10.0.0.1';
    const guesses: number[] = [];
    for (let i = 0; i < 30; i++) guesses.push(await status('admin', `guess-${i}`, attacker));
    expect(guesses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(guesses.slice(5).every((s) => s === 429)).toBe(true);
    // The right password from the attacking address waits too: backing off is decided before the password is seen.
    expect(await status('admin', ADMIN_PASSWORD, attacker)).toBe(429);

    expect(await status('admin', ADMIN_PASSWORD, '10.0.0.2')).toBe(204);
    // And while the attacker keeps hammering at once from its address, admin at a third address still gets in.
    const [admin, ...flood] = await Promise.all([
      status('admin', ADMIN_PASSWORD, '10.0.0.3'),
      ...Array.from({ length: 50 }, (_, i) => status('admin', `again-${i}`, attacker)),
    ]);
    expect(admin).toBe(204);
    expect(flood.every((s) => s === 429)).toBe(true);
  });

  it('200 concurrent bad logins from 200 addresses: at most workers + queue are hashed, the rest get 429 at once, and the event loop keeps up', async () => {
    const capacity = PASSWORD_CHECK_WORKERS + PASSWORD_CHECK_QUEUE;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    let busiest = 0;
    const sampler = setInterval(() => {
      const { running, waiting } = passwordChecks().load;
      busiest = Math.max(busiest, running + waiting);
    }, 5);
    lag.enable();
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const result = await status(`user-${randomBytes(4).toString('hex')}`, `pw-${i}`, `10.1.${i >> 8}.${i & 255}`);
        return { status: result, ms: performance.now() - started };
      }),
    );
    lag.disable();
    clearInterval(sampler);

    const refused = answers.filter((a) => a.status === 429);
    const checked = answers.filter((a) => a.status === 401);
    expect(checked.length + refused.length).toBe(200);
    expect(checked.length).toBeLessThanOrEqual(capacity);
    expect(refused.length).toBeGreaterThanOrEqual(200 - capacity);
    expect(Math.max(...refused.map((a) => a.ms))).toBeLessThan(200);
    expect(busiest).toBeLessThanOrEqual(capacity);
    expect(lag.max / 1e6).toBeLessThan(200);
  }, 60_000);
});
