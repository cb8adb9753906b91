import 'server-only';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import bcrypt from 'bcryptjs';
import { PasswordCheckPool } from './passwordPool';

/** bcrypt cost: about 250 ms per check on the 2-core machine this runs on; logins are rate limited on top. */
export const BCRYPT_COST = 12;

/**
 * Checks running at once: one core is left to the event loop (poller, API), and never more than 2 (each is ~250 ms
 * of CPU; more would only let a flood of logins take more of the machine).
 */
export const PASSWORD_CHECK_WORKERS = Math.max(1, Math.min(2, availableParallelism() - 1));
/** Checks waiting for a worker; one more login is refused with 429 before any hashing. */
export const PASSWORD_CHECK_QUEUE = 8;

// Checked against when the user name is unknown, so a wrong name costs the same time as a wrong password.
const DUMMY_HASH = '$2b$12$YMX3fEIrvLNv3fLaBybYXuxrEF5UckLz/HxJXcTzw0co.mMOo41vK';

// On globalThis: Next may load this module more than once, and there must be one pool per process.
const KEY = Symbol.for('redis-cluster-dashboard.password-checks');
type Holder = { [KEY]?: PasswordCheckPool };

export function passwordChecks(): PasswordCheckPool {
  const holder = globalThis as Holder;
  holder[KEY] ??= new PasswordCheckPool({
    workers: PASSWORD_CHECK_WORKERS,
    maxWaiting: PASSWORD_CHECK_QUEUE,
    // The literal new URL(..., import.meta.url) lets the bundler ship the worker with the server build.
    spawn: () => new Worker(new URL('./passwordWorker.mjs', import.meta.url)),
  });
  return holder[KEY];
}

export function hashPassword(password: string): Promise<string> {
  if (password.length === 0) throw new Error('refusing to hash an empty password');
  return bcrypt.hash(password, BCRYPT_COST);
}

/**
 * An empty password never matches; a malformed hash never matches. Runs on the worker pool; rejects with
 * PasswordChecksBusyError when its queue is full.
 */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  if (password.length === 0) return false;
  const ok = await passwordChecks().compare(password, hash ?? DUMMY_HASH);
  return hash !== undefined && ok;
}
