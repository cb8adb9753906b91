import { beforeEach, describe, expect, it } from 'vitest';
import { freshStore } from '../../scripts/test/store';
import { isSessionRevoked, pruneRevocations, revokeSessionId } from './revocations';

beforeEach(freshStore);

describe('session revocations', () => {
  it('hold a session id until its expiry, then are pruned', () => {
    const now = Date.now() / 1000;
    revokeSessionId('s1', now + 3600);
    revokeSessionId('s2', now - 1);
    expect(isSessionRevoked('s1')).toBe(true);
    expect(isSessionRevoked('s2')).toBe(true);
    expect(isSessionRevoked('s3')).toBe(false);
    expect(pruneRevocations(now)).toBe(1);
    expect(isSessionRevoked('s2')).toBe(false);
    // Revoking prunes too.
    revokeSessionId('s4', now + 10);
    expect(pruneRevocations(now + 7200)).toBe(2);
    expect(isSessionRevoked('s1')).toBe(false);
  });
});
