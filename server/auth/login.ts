import 'server-only';
import type { LoginRequest } from '@/lib/api/schemas';
import { ApiError } from '../api/errors';
import { currentConfig } from '../collect/pollers';
import { verifyPassword } from './password';
import { FailureLimiter } from './rateLimit';

// Per user name (guessing one account from many addresses) and per client address (spraying many accounts).
const KEY = Symbol.for('redis-cluster-dashboard.login-limits');
type Holder = { [KEY]?: { byUser: FailureLimiter; byIp: FailureLimiter } };
function limits() {
  const holder = globalThis as Holder;
  holder[KEY] ??= { byUser: new FailureLimiter(5, 15 * 60_000), byIp: new FailureLimiter(20, 15 * 60_000) };
  return holder[KEY];
}

/**
 * Checks the password; returns the user to start a session for (with the passwordHash it was checked against, which
 * the session is bound to), or throws 401 / 429.
 */
export async function login(
  input: LoginRequest,
  ip: string | undefined,
): Promise<{ name: string; role: string; passwordHash: string }> {
  const { byUser, byIp } = limits();
  const userKey = input.username.toLowerCase();
  const ipKey = ip ?? 'unknown';
  const wait = Math.max(byUser.retryAfter(userKey), byIp.retryAfter(ipKey));
  if (wait > 0) throw new ApiError('rate_limited', `too many failed logins; try again in ${wait} s`, undefined, wait);
  const user = currentConfig().users.find((u) => u.name === input.username);
  if (!(await verifyPassword(user?.passwordHash, input.password)) || !user) {
    byUser.fail(userKey);
    byIp.fail(ipKey);
    throw new ApiError('unauthenticated', 'wrong user name or password');
  }
  byUser.reset(userKey);
  return { name: user.name, role: user.role, passwordHash: user.passwordHash };
}
