import { LoginRequest } from '@/lib/api/schemas';
import { clientIp, route } from '@/server/api/handler';
import { login } from '@/server/auth/login';
import { sessionCookie } from '@/server/auth/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route({ access: 'public', action: 'auth.login', body: LoginRequest }, async ({ request, body }) => {
  const name = await login(body, clientIp(request));
  return new Response(null, {
    status: 204,
    headers: { 'set-cookie': sessionCookie(request, { sub: name, kind: 'user' }) },
  });
});
