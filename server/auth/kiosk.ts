import 'server-only';
import { principalLabel } from '@/lib/auth/access';
import { clientKey } from '@/lib/net/ip';
import { ApiError } from '../api/errors';
import { clientIp } from '../api/handler';
import { auditRefusal } from '../audit/log';
import { FailureBackoff, retryAfterSeconds } from './backoff';
import { ACCOUNT_BACKOFF } from './loginThrottle';
import { kioskTokenMatches, sessionCookie } from './session';

// Wrong kiosk tokens per client address, with the same backoff as a user's wrong passwords: a refused guess costs
// a map lookup, no comparison and no audit line.
const KEY = Symbol.for('redis-cluster-dashboard.kiosk-backoff');
type Holder = { [KEY]?: FailureBackoff };
function kioskBackoff(): FailureBackoff {
  const holder = globalThis as Holder;
  holder[KEY] ??= new FailureBackoff(ACCOUNT_BACKOFF);
  return holder[KEY];
}

/** A browser (a wall screen opening the link) reads a page; scripts and monitors keep the JSON envelope. */
function wantsHtml(request: Request): boolean {
  return request.headers.get('accept')?.includes('text/html') ?? false;
}

/**
 * A static page for a screen across a room: no script, no style (the API's CSP is `default-src 'none'`), and never
 * the token it was given.
 */
function kioskPage(status: number, text: string, headers: Record<string, string> = {}): Response {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Kiosk link</title></head>
<body><h1>${text}</h1></body>
</html>
`;
  return new Response(html, {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** Only same-site page paths, so the kiosk link cannot be turned into an open redirect. */
export function safeNextPath(next: string | null | undefined, fallback = '/wall'): string {
  return next && /^\/(?!\/)[A-Za-z0-9/_\-.~%]*$/.test(next) ? next : fallback;
}

/** ?kiosk=<token> on a wall or overview page lands here: a read-only kiosk session, then back to the page. */
export async function startKioskSession(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const started = Date.now();
  const ip = clientIp(request);
  const client = clientKey(ip ?? 'unknown');
  const wait = kioskBackoff().retryAfterMs(client, started);
  if (wait > 0) {
    const seconds = retryAfterSeconds(wait);
    if (wantsHtml(request))
      return kioskPage(429, `Too many wrong kiosk links from this address; try again in ${seconds} s.`, {
        'retry-after': String(seconds),
      });
    throw new ApiError(
      'rate_limited',
      `too many wrong kiosk tokens from this address; try again in ${seconds} s`,
      undefined,
      seconds,
    );
  }
  const token = url.searchParams.get('token');
  if (!token || !kioskTokenMatches(token)) {
    // A missing token is no guess: only wrong ones back off.
    if (token) kioskBackoff().fail(client, started);
    await auditRefusal({
      ...principalLabel(undefined),
      action: 'auth.kiosk',
      result: 'refused',
      status: 401,
      reason: 'wrong or no kiosk token',
      durationMs: Date.now() - started,
      ip,
    });
    if (wantsHtml(request))
      return kioskPage(
        401,
        'This kiosk link is not valid (the token was replaced or mistyped). Ask for the current kiosk link.',
      );
    return Response.json({ error: { code: 'unauthenticated', message: 'wrong or no kiosk token' } }, { status: 401 });
  }
  kioskBackoff().reset(client);
  const location = safeNextPath(url.searchParams.get('next'));
  return new Response(null, {
    status: 303,
    headers: {
      location,
      'set-cookie': sessionCookie(request, { sub: 'kiosk', kind: 'kiosk' }, token),
      'cache-control': 'no-store',
    },
  });
}
