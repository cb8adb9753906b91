import 'server-only';
import { statement } from './database';

/**
 * Logged-out session ids, kept until the session would have expired anyway, so a copied cookie stays refused after a
 * restart (with the same DASHBOARD_SESSION_SECRET; a new secret refuses every old cookie by itself).
 */
export function revokeSessionId(sid: string, expiresAtSeconds: number): void {
  pruneRevocations();
  statement(
    'INSERT INTO revoked_sessions (sid, expires_at) VALUES (?, ?) ON CONFLICT (sid) DO UPDATE SET expires_at = excluded.expires_at',
  ).run(sid, Math.ceil(expiresAtSeconds));
}

export function isSessionRevoked(sid: string): boolean {
  return statement('SELECT 1 FROM revoked_sessions WHERE sid = ?').get(sid) !== undefined;
}

/** Deletes revocations of sessions that have expired (their token is refused on its own expiry). */
export function pruneRevocations(nowSeconds = Date.now() / 1000): number {
  return statement('DELETE FROM revoked_sessions WHERE expires_at <= ?').run(Math.floor(nowSeconds)).changes;
}
