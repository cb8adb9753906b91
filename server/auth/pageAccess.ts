import 'server-only';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { type Access, allows, type Principal } from '@/lib/auth/access';
import { principalFromToken, SESSION_COOKIE } from './session';

export async function currentPrincipal(): Promise<Principal | undefined> {
  return principalFromToken((await cookies()).get(SESSION_COOKIE)?.value);
}

/**
 * For pages: the caller, or a redirect to log in (or, with ?kiosk=<token> on a kiosk page, to start a kiosk
 * session). `allowed` is false for a logged-in caller without the role; the page then says so.
 */
export async function pageAccess(access: Access, path: string, kioskToken?: string | string[]) {
  const principal = await currentPrincipal();
  if (allows(principal, access)) return { principal, allowed: true as const };
  if (!principal && access === 'kiosk' && typeof kioskToken === 'string' && kioskToken) {
    redirect(`/api/auth/kiosk?token=${encodeURIComponent(kioskToken)}&next=${encodeURIComponent(path)}`);
  }
  if (!principal) redirect(`/login?next=${encodeURIComponent(path)}`);
  return { principal, allowed: false as const };
}
