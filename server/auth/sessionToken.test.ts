import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSessionToken, credentialVersion, verifySessionToken } from './sessionToken';

const SECRET = 's'.repeat(32);

describe('session tokens', () => {
  it('round-trips and expires', () => {
    const { token, claims } = createSessionToken({ sub: 'ann', kind: 'user', ver: 'v1' }, SECRET, 60, 1_000_000);
    expect(verifySessionToken(token, SECRET, 1_000_000 + 59_000)).toEqual(claims);
    expect(verifySessionToken(token, SECRET, 1_000_000 + 60_000)).toBeUndefined();
  });

  it('refuses a token signed with another secret, edited, or malformed', () => {
    const { token } = createSessionToken({ sub: 'ann', kind: 'user', ver: 'v1' }, SECRET, 60);
    expect(verifySessionToken(token, 'x'.repeat(32))).toBeUndefined();
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), sub: 'root' }),
    ).toString('base64url');
    expect(verifySessionToken(`${forged}.${mac}`, SECRET)).toBeUndefined();
    for (const bad of ['', 'abc', 'a.b.c', `${payload}.`, '.'.repeat(2000)])
      expect(verifySessionToken(bad, SECRET)).toBeUndefined();
  });

  it('refuses a validly signed token without the credential version (made before sessions carried one)', () => {
    const payload = Buffer.from(
      JSON.stringify({ sid: 's', sub: 'ann', kind: 'user', iat: 1, exp: 4_000_000_000 }),
    ).toString('base64url');
    const mac = createHmac('sha256', SECRET).update(payload).digest('base64url');
    expect(verifySessionToken(`${payload}.${mac}`, SECRET)).toBeUndefined();
  });
});

describe('credentialVersion', () => {
  const hash = '$2b$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234';

  it('is short, keyed by the session secret, and differs per credential', () => {
    const ver = credentialVersion(SECRET, hash);
    expect(ver).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(credentialVersion(SECRET, hash)).toBe(ver);
    expect(credentialVersion('x'.repeat(32), hash)).not.toBe(ver);
    expect(credentialVersion(SECRET, `${hash.slice(0, -1)}5`)).not.toBe(ver);
    expect(ver).not.toContain(hash.slice(7, 23));
  });
});
