import { LoginRequest } from '@/lib/api/schemas';
import { clientIp, route } from '@/server/api/handler';
import { loginNameForAudit } from '@/server/audit/redact';
import { login } from '@/server/auth/login';
import { sessionCookie } from '@/server/auth/session';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export const POST = route(
  { access: 'public', action: 'auth.login', body: LoginRequest },
  async ({ request, body, auditDetails }) => {
    // The audit line names who tried, whether or not the password was right (a name that is no user's is not kept).
    auditDetails.user = loginNameForAudit(body.username);
    auditDetails.params = { username: auditDetails.user };
    const user = await login(body, clientIp(request));
    auditDetails.role = user.role;
    const cookie = sessionCookie(request, { sub: user.name, kind: 'user' }, user.passwordHash);
    return new Response(null, { status: 204, headers: { 'set-cookie': cookie } });
  },
);
