import 'server-only';

/** The origin the browser used, as the Host header and protocol say (x-forwarded-* when a proxy sets them). */
export function ownOrigin(request: Request): string {
  const url = new URL(request.url);
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? url.host;
  const proto = request.headers.get('x-forwarded-proto') ?? url.protocol.replace(':', '');
  return `${proto}://${host}`;
}

/**
 * CSRF guard for mutations, on top of the SameSite=Strict cookie: the Origin header must be present, not "null",
 * and be this server's own origin or one configured in allowedOrigins.
 */
export function sameOrigin(request: Request, allowedOrigins: readonly string[]): boolean {
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return false;
  return origin === ownOrigin(request) || allowedOrigins.includes(origin);
}
