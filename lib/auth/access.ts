import type { Role } from '../config/schema';

/** Who a request is: a logged-in user with a role, or a wall screen holding the kiosk token. */
export type Principal = { kind: 'user'; name: string; role: Role } | { kind: 'kiosk' };

/**
 * What a route or page needs. "public": anyone (login, health). "kiosk": the read-only overview and wall data,
 * open to the kiosk token and to every user. A role: that role or a higher one.
 */
export type Access = 'public' | 'kiosk' | Role;

const RANK: Record<Role, number> = { viewer: 1, operator: 2, admin: 3 };

export function allows(principal: Principal | undefined, access: Access): boolean {
  if (access === 'public') return true;
  if (!principal) return false;
  if (principal.kind === 'kiosk') return access === 'kiosk';
  return access === 'kiosk' || RANK[principal.role] >= RANK[access];
}

export function principalLabel(principal: Principal | undefined): { user: string; role: string } {
  if (!principal) return { user: 'anonymous', role: 'none' };
  return principal.kind === 'kiosk' ? { user: 'kiosk', role: 'kiosk' } : { user: principal.name, role: principal.role };
}
