import { type NextRequest, NextResponse } from 'next/server';
import { refusePage } from '@/server/http/pageGuard';

/**
 * Pages for a Host outside allowedHosts get 421 (DNS rebinding); API routes check the same in route().
 * A fresh nonce per page request and a Content-Security-Policy that allows only scripts carrying it ('strict-dynamic'
 * lets Next's own chunks load). Styles allow 'unsafe-inline' for React style attributes; nothing else is inline.
 */
export function proxy(request: NextRequest) {
  const refused = refusePage(request);
  if (refused) return refused;
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
  const dev = process.env.NODE_ENV !== 'production';
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  const headers = new Headers(request.headers);
  headers.set('x-nonce', nonce);
  headers.set('content-security-policy', csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('content-security-policy', csp);
  return response;
}

export const config = {
  // Prefetches too: a client chooses whether to send next-router-prefetch, so skipping them would skip the Host check.
  matcher: ['/((?!api/|_next/static/|_next/image|icon.svg).*)'],
};
