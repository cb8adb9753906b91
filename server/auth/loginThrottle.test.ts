import { describe, expect, it } from 'vitest';
import { LoginThrottle, MAX_CHECKS_PER_CLIENT } from './loginThrottle';

function admitted(throttle: LoginThrottle, user: string, client: string, now = 0) {
  const admission = throttle.admit(user, client, now);
  return admission.admitted ? admission : undefined;
}

describe('LoginThrottle', () => {
  it('backs off a user name at one address without touching the same name at another address', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 5; i++) {
      admitted(throttle, 'admin', '10.0.0.1')?.release();
      throttle.failed('admin', '10.0.0.1', 0);
    }
    expect(throttle.admit('admin', '10.0.0.1', 10)).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
    expect(throttle.admit('ADMIN', '10.0.0.1', 10)).toMatchObject({ admitted: false });
    expect(throttle.admit('admin', '10.0.0.2', 10)).toMatchObject({ admitted: true });
    expect(throttle.admit('admin', '10.0.0.1', 1000)).toMatchObject({ admitted: true });
  });

  it('backs off an address spraying many names, and a success elsewhere does not clear it', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 21; i++) throttle.failed(`name-${i}`, '10.0.0.9', 0);
    throttle.succeeded('valid', '10.0.0.9');
    const refused = throttle.admit('another-name', '10.0.0.9', 10);
    expect(refused).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
    expect(refused.admitted ? '' : refused.message).toMatch(/from this address/);
    expect(throttle.admit('another-name', '10.0.0.8', 10)).toMatchObject({ admitted: true });
  });

  it(`checks at most ${MAX_CHECKS_PER_CLIENT} logins from one address at once`, () => {
    const throttle = new LoginThrottle();
    const running = Array.from({ length: MAX_CHECKS_PER_CLIENT }, (_, i) => admitted(throttle, `u${i}`, '10.0.0.1'));
    expect(running.every((a) => a !== undefined)).toBe(true);
    expect(throttle.admit('admin', '10.0.0.1')).toMatchObject({ admitted: false, retryAfterSeconds: 1 });
    expect(throttle.admit('admin', '10.0.0.2')).toMatchObject({ admitted: true });
    running[0]?.release();
    running[0]?.release();
    expect(admitted(throttle, 'admin', '10.0.0.1')).toBeDefined();
    expect(throttle.admit('admin', '10.0.0.1')).toMatchObject({ admitted: false });
  });
});
