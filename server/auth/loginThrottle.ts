import 'server-only';
import { type BackoffPolicy, FailureBackoff, retryAfterSeconds } from './backoff';

/**
 * Per user name at one address: 5 wrong passwords in a row are answered, then it waits 1 s, 2 s, 4 s … (doubling per
 * wrong password) up to 5 minutes between tries.
 * Another address is not affected, so guessing a user's password elsewhere never locks that user out.
 */
export const ACCOUNT_BACKOFF: BackoffPolicy = {
  freeFailures: 4,
  firstDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  forgetAfterMs: 30 * 60_000,
  maxKeys: 10_000,
};

/** Per address, whatever the user name (spraying many names from one place): 21 answered, then the same doubling. */
export const CLIENT_BACKOFF: BackoffPolicy = { ...ACCOUNT_BACKOFF, freeFailures: 20 };

/** Logins from one address checked at once; more are refused, so one address cannot fill the check queue. */
export const MAX_CHECKS_PER_CLIENT = 2;

export type Admission =
  | { admitted: true; release: () => void }
  | { admitted: false; retryAfterSeconds: number; message: string };

/** Decides, before any hashing, whether a login attempt from an address may be checked. */
export class LoginThrottle {
  readonly byAccount = new FailureBackoff(ACCOUNT_BACKOFF);
  readonly byClient = new FailureBackoff(CLIENT_BACKOFF);
  // Only addresses with a check in progress: at most workers + queue entries.
  private readonly checking = new Map<string, number>();

  private static account(username: string, client: string): string {
    return `${username.toLowerCase()}\u0000${client}`;
  }

  admit(username: string, client: string, now = Date.now()): Admission {
    const accountWait = this.byAccount.retryAfterMs(LoginThrottle.account(username, client), now);
    const clientWait = this.byClient.retryAfterMs(client, now);
    if (accountWait > 0 || clientWait > 0) {
      const seconds = retryAfterSeconds(Math.max(accountWait, clientWait));
      const who = accountWait >= clientWait ? 'for this user from this address' : 'from this address';
      return {
        admitted: false,
        retryAfterSeconds: seconds,
        message: `too many failed logins ${who}; try again in ${seconds} s`,
      };
    }
    const inProgress = this.checking.get(client) ?? 0;
    if (inProgress >= MAX_CHECKS_PER_CLIENT) {
      return {
        admitted: false,
        retryAfterSeconds: 1,
        message: 'logins from this address are still being checked; try again in a moment',
      };
    }
    this.checking.set(client, inProgress + 1);
    let released = false;
    return {
      admitted: true,
      release: () => {
        if (released) return;
        released = true;
        const left = (this.checking.get(client) ?? 1) - 1;
        if (left > 0) this.checking.set(client, left);
        else this.checking.delete(client);
      },
    };
  }

  failed(username: string, client: string, now = Date.now()): void {
    this.byAccount.fail(LoginThrottle.account(username, client), now);
    this.byClient.fail(client, now);
  }

  /** The user's count at this address starts over; the address's own count does not (one valid account must not
   * reset a spray of guesses at others). */
  succeeded(username: string, client: string): void {
    this.byAccount.reset(LoginThrottle.account(username, client));
  }
}
