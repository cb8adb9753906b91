import { describe, expect, it } from 'vitest';
import { allows, type Principal } from './access';

const viewer: Principal = { kind: 'user', name: 'v', role: 'viewer' };
const operator: Principal = { kind: 'user', name: 'o', role: 'operator' };
const admin: Principal = { kind: 'user', name: 'a', role: 'admin' };
const kiosk: Principal = { kind: 'kiosk' };

describe('allows', () => {
  it('orders viewer < operator < admin', () => {
    expect([viewer, operator, admin].map((p) => allows(p, 'operator'))).toEqual([false, true, true]);
    expect([viewer, operator, admin].map((p) => allows(p, 'admin'))).toEqual([false, false, true]);
    expect([viewer, operator, admin].map((p) => allows(p, 'viewer'))).toEqual([true, true, true]);
  });

  it('gives the kiosk token the kiosk reads and nothing else', () => {
    expect(allows(kiosk, 'kiosk')).toBe(true);
    expect(allows(kiosk, 'viewer')).toBe(false);
    expect(allows(viewer, 'kiosk')).toBe(true);
  });

  it('lets nobody without a session past anything but public', () => {
    expect(allows(undefined, 'public')).toBe(true);
    expect(allows(undefined, 'kiosk')).toBe(false);
    expect(allows(undefined, 'viewer')).toBe(false);
  });
});
