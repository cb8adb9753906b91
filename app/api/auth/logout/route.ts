import { route } from '@/server/api/handler';
import { clearedSessionCookie, revokeSession } from '@/server/auth/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route({ access: 'public', action: 'auth.logout' }, async ({ request }) => {
  revokeSession(request);
  return new Response(null, { status: 204, headers: { 'set-cookie': clearedSessionCookie(request) } });
});
