import 'server-only';
import type { LoginRequest } from '@/lib/api/schemas';
import { clientKey } from '@/lib/net/ip';
import { ApiError } from '../api/errors';
import { currentConfig } from '../collect/pollers';
import { LoginThrottle } from './loginThrottle';
import { verifyPassword } from './password';
import { PasswordChecksBusyError } from './passwordPool';

// On globalThis: Next may load this module more than once, and the counts must be one per process.
const KEY = Symbol.for('redis-cluster-dashboard.login-throttle');
type Holder = { [KEY]?: LoginThrottle };
export function loginThrottle(): LoginThrottle {
  const holder = globalThis as Holder;
  holder[KEY] ??= new LoginThrottle();
  return holder[KEY];
}

/**
 * Checks the password; returns the user to start a session for (with the passwordHash it was checked against, which
 * the session is bound to), or throws 401 / 429. `ip` is the client address (undefined: one shared key). Every 429 is
 * decided before any hashing.
 */
export async function login(
  input: LoginRequest,
  ip: string | undefined,
): Promise<{ name: string; role: string; passwordHash: string }> {
  const throttle = loginThrottle();
  const client = clientKey(ip ?? 'unknown');
  const admission = throttle.admit(input.username, client);
  if (!admission.admitted) {
    throw new ApiError('rate_limited', admission.message, undefined, admission.retryAfterSeconds);
  }
  try {
    const user = currentConfig().users.find((u) => u.name === input.username);
    let matches: boolean;
    try {
      matches = await verifyPassword(user?.passwordHash, input.password);
    } catch (err) {
      if (err instanceof PasswordChecksBusyError) {
        throw new ApiError('rate_limited', 'login service busy; try again in a moment', undefined, 1);
      }
      throw err;
    }
    if (!matches || !user) {
      throttle.failed(input.username, client);
      throw new ApiError('unauthenticated', 'wrong user name or password');
    }
    throttle.succeeded(input.username, client);
    return { name: user.name, role: user.role, passwordHash: user.passwordHash };
  } finally {
    admission.release();
  }
}
