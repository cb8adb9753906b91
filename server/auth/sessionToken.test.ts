import { describe, expect, it } from 'vitest';
import { createSessionToken, verifySessionToken } from './sessionToken';

const SECRET = 's'.repeat(32);

describe('session tokens', () => {
  it('round-trips and expires', () => {
    const { token, claims } = createSessionToken({ sub: 'ann', kind: 'user' }, SECRET, 60, 1_000_000);
    expect(verifySessionToken(token, SECRET, 1_000_000 + 59_000)).toEqual(claims);
    expect(verifySessionToken(token, SECRET, 1_000_000 + 60_000)).toBeUndefined();
  });

  it('refuses a token signed with another secret, edited, or malformed', () => {
    const { token } = createSessionToken({ sub: 'ann', kind: 'user' }, SECRET, 60);
    expect(verifySessionToken(token, 'x'.repeat(32))).toBeUndefined();
    const [payload, mac] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()), sub: 'root' }),
    ).toString('base64url');
    expect(verifySessionToken(`${forged}.${mac}`, SECRET)).toBeUndefined();
    for (const bad of ['', 'abc', 'a.b.c', `${payload}.`, '.'.repeat(2000)])
      expect(verifySessionToken(bad, SECRET)).toBeUndefined();
  });
});
