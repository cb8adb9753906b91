import 'server-only';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface SessionClaims {
  /** Session id, for logout. */
  sid: string;
  /** User name, or "kiosk". */
  sub: string;
  kind: 'user' | 'kiosk';
  /**
   * Which credential opened the session: a short keyed hash of the user's passwordHash, or of the kiosk token. A
   * session whose credential has changed in the config since is refused (see credentialVersion in session.ts).
   */
  ver: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

function sign(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

/**
 * The `ver` of a session opened with `credential` (a user's passwordHash, or the kiosk token): 16 characters of an
 * HMAC under the session secret, so the cookie carries neither the hash nor anything to guess the password from.
 * The prefix keeps these apart from token signatures made with the same secret.
 */
export function credentialVersion(secret: string, credential: string): string {
  return createHmac('sha256', secret)
    .update('session-credential\0')
    .update(credential)
    .digest('base64url')
    .slice(0, 16);
}

/**
 * "<payload>.<hmac>": signed, not encrypted; it holds nothing secret (a session id, a name, a keyed hash that says
 * nothing about the password without the session secret, times).
 */
export function createSessionToken(
  claims: Omit<SessionClaims, 'sid' | 'iat' | 'exp'>,
  secret: string,
  ttlSeconds: number,
  now = Date.now(),
) {
  const iat = Math.floor(now / 1000);
  const full: SessionClaims = { ...claims, sid: randomBytes(16).toString('base64url'), iat, exp: iat + ttlSeconds };
  const payload = b64(JSON.stringify(full));
  return { token: `${payload}.${sign(payload, secret)}`, claims: full };
}

function isClaims(value: unknown): value is SessionClaims {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.sid === 'string' &&
    typeof v.sub === 'string' &&
    (v.kind === 'user' || v.kind === 'kiosk') &&
    typeof v.ver === 'string' &&
    typeof v.iat === 'number' &&
    typeof v.exp === 'number'
  );
}

export function verifySessionToken(
  token: string | undefined,
  secret: string,
  now = Date.now(),
): SessionClaims | undefined {
  if (!token || token.length > 1024) return undefined;
  const [payload, mac, extra] = token.split('.');
  if (!payload || !mac || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(payload, secret));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isClaims(claims) || claims.exp * 1000 <= now) return undefined;
  return claims;
}
