import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import type { Principal } from '@/lib/auth/access';
import { currentConfig } from '../collect/pollers';
import { requestNetwork } from '../http/requestNetwork';
import { isSessionRevoked, revokeSessionId } from '../store/revocations';
import { createSessionToken, credentialVersion, type SessionClaims, verifySessionToken } from './sessionToken';

export const SESSION_COOKIE = 'rcd_session';

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function validClaims(token: string | undefined): SessionClaims | undefined {
  const claims = verifySessionToken(token, currentConfig().sessionSecret);
  return claims && !isSessionRevoked(claims.sid) ? claims : undefined;
}

/**
 * The role comes from the config (as reloaded) at every request, so removing a user or changing a role takes effect
 * at once; a session opened with a password hash or kiosk token the config no longer has is refused.
 */
export function principalFromToken(token: string | undefined): Principal | undefined {
  const claims = validClaims(token);
  if (!claims) return undefined;
  const config = currentConfig();
  const opened = (credential: string) => claims.ver === credentialVersion(config.sessionSecret, credential);
  if (claims.kind === 'kiosk') return config.kioskToken && opened(config.kioskToken) ? { kind: 'kiosk' } : undefined;
  const user = config.users.find((u) => u.name === claims.sub);
  return user && opened(user.passwordHash) ? { kind: 'user', name: user.name, role: user.role } : undefined;
}

export function principalOf(request: Request): Principal | undefined {
  return principalFromToken(readCookie(request.headers.get('cookie'), SESSION_COOKIE));
}

/** The socket is TLS, or a trusted proxy says the browser used https; a client's own X-Forwarded-Proto is ignored. */
function isHttps(request: Request): boolean {
  return requestNetwork(request, currentConfig()).scheme === 'https';
}

/**
 * httpOnly, SameSite=Strict, Secure when served over https. `credential`: what the caller was checked against (the
 * user's passwordHash, or the kiosk token); the session lasts while the config still has it.
 */
export function sessionCookie(
  request: Request,
  subject: { sub: string; kind: SessionClaims['kind'] },
  credential: string,
): string {
  const config = currentConfig();
  const ttl = config.sessionTtlHours * 3600;
  const ver = credentialVersion(config.sessionSecret, credential);
  const { token } = createSessionToken({ ...subject, ver }, config.sessionSecret, ttl);
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${ttl}${isHttps(request) ? '; Secure' : ''}`;
}

/**
 * Sliding renewal for wall screens: the kiosk link's token is stripped from the URL after the redirect, so a kiosk
 * session past half its life gets a fresh cookie (same `ver`: it still ends when the kiosk token changes). Users are
 * never renewed this way; they log in again.
 */
export function renewedKioskCookie(request: Request, now = Date.now()): string | undefined {
  const config = currentConfig();
  const claims = verifySessionToken(
    readCookie(request.headers.get('cookie'), SESSION_COOKIE),
    config.sessionSecret,
    now,
  );
  if (claims?.kind !== 'kiosk' || isSessionRevoked(claims.sid) || !config.kioskToken) return undefined;
  if (claims.ver !== credentialVersion(config.sessionSecret, config.kioskToken)) return undefined;
  if (now / 1000 - claims.iat < (claims.exp - claims.iat) / 2) return undefined;
  return sessionCookie(request, { sub: claims.sub, kind: 'kiosk' }, config.kioskToken);
}

export function clearedSessionCookie(request: Request): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${isHttps(request) ? '; Secure' : ''}`;
}

export function revokeSession(request: Request): void {
  const claims = validClaims(readCookie(request.headers.get('cookie'), SESSION_COOKIE));
  if (claims) revokeSessionId(claims.sid, claims.exp);
}

/** Constant-time comparison of a presented token with a configured one; false when either is missing. */
export function tokenMatches(given: string | null | undefined, expected: string | undefined): boolean {
  if (!expected || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** "Authorization: Bearer <metricsToken>" from a Prometheus server. */
export function metricsBearerMatches(request: Request): boolean {
  const header = request.headers.get('authorization') ?? '';
  return header.startsWith('Bearer ') && tokenMatches(header.slice(7).trim(), currentConfig().metricsToken);
}

export function kioskTokenMatches(given: string | null | undefined): boolean {
  const expected = currentConfig().kioskToken;
  if (!expected || !given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
