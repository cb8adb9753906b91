import 'server-only';
import { principalLabel } from '@/lib/auth/access';
import { clientIp } from '../api/handler';
import { auditRefusal } from '../audit/log';
import { kioskTokenMatches, sessionCookie } from './session';

/** Only same-site page paths, so the kiosk link cannot be turned into an open redirect. */
export function safeNextPath(next: string | null | undefined, fallback = '/wall'): string {
  return next && /^\/(?!\/)[A-Za-z0-9/_\-.~%]*$/.test(next) ? next : fallback;
}

/** ?kiosk=<token> on a wall or overview page lands here: a read-only kiosk session, then back to the page. */
export async function startKioskSession(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const started = Date.now();
  const token = url.searchParams.get('token');
  if (!token || !kioskTokenMatches(token)) {
    await auditRefusal({
      ...principalLabel(undefined),
      action: 'auth.kiosk',
      result: 'refused',
      status: 401,
      reason: 'wrong or no kiosk token',
      durationMs: Date.now() - started,
      ip: clientIp(request),
    });
    return Response.json({ error: { code: 'unauthenticated', message: 'wrong or no kiosk token' } }, { status: 401 });
  }
  const location = safeNextPath(url.searchParams.get('next'));
  return new Response(null, {
    status: 303,
    headers: {
      location,
      // Bound to the token it was opened with: replacing a leaked token ends the sessions it opened.
      'set-cookie': sessionCookie(request, { sub: 'kiosk', kind: 'kiosk' }, token),
      'cache-control': 'no-store',
    },
  });
}
