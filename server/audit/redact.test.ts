import { describe, expect, it } from 'vitest';
import type { ResolvedConfig } from '../config/load';
import { configuredSecrets, loginNameForAudit, redactor, submittedSecrets } from './redact';

const config = {
  clusters: [{ id: 'a', password: 'cluster-pw-1' }, { id: 'b' }],
  users: [{ name: 'ann', role: 'admin', passwordHash: `$2b$10$${'h'.repeat(53)}` }],
  kioskToken: 'k'.repeat(24),
  metricsToken: 'm'.repeat(24),
  sessionSecret: 's'.repeat(32),
} as unknown as ResolvedConfig;

describe('redaction by value', () => {
  it('takes every secret of the config, once per config object', () => {
    const secrets = configuredSecrets(config);
    expect(secrets).toEqual([
      'cluster-pw-1',
      'k'.repeat(24),
      'm'.repeat(24),
      's'.repeat(32),
      `$2b$10$${'h'.repeat(53)}`,
    ]);
    expect(configuredSecrets(config)).toBe(secrets);
  });

  it('takes what a body sent under secret-looking keys, at any depth', () => {
    expect(
      submittedSecrets({ username: 'ann', password: 'pw-1', nested: { apiToken: ['t-1', { x: 't-2' }] }, note: 'n' }),
    ).toEqual(['pw-1', 't-1', 't-2']);
    expect(submittedSecrets('not an object')).toEqual([]);
  });

  it('replaces each secret anywhere in a text, the longest first; a short one only as a whole value', () => {
    const clean = redactor(['cluster-pw', 'cluster-pw-1', 'ab']);
    expect(clean('say cluster-pw-1 and cluster-pw')).toBe('say [redacted] and [redacted]');
    expect(clean('ab')).toBe('[redacted]');
    expect(clean('about')).toBe('about');
  });

  it('keeps a login name only when it is a configured user (else it may be a password typed in the wrong field)', () => {
    expect(loginNameForAudit('ann', config)).toBe('ann');
    expect(loginNameForAudit('correct horse battery', config)).toBe('(unknown user name)');
  });
});
