import { describe, expect, it } from 'vitest';
import { describeNodeError } from './errors';

describe('describeNodeError', () => {
  it('explains auth and protocol failures in words an operator acts on', () => {
    expect(describeNodeError(new Error('WRONGPASS invalid username-password pair or user is disabled.'), [])).toMatch(
      /^authentication failed: WRONGPASS/,
    );
    expect(describeNodeError(new Error('NOAUTH Authentication required.'), [])).toMatch(/^authentication required/);
    expect(describeNodeError(new Error('Unknown RESP type 72 "H". Please report this.'), [])).toBe(
      'not a Redis reply (protocol error): is this a Redis port? Unknown RESP type 72 "H".',
    );
  });

  it('masks any secret the message happens to carry and keeps it to one short line', () => {
    const text = describeNodeError(new Error(`AUTH s3cr3t-pw failed\nsecond line ${'x'.repeat(500)}`), ['s3cr3t-pw']);
    expect(text).not.toContain('s3cr3t-pw');
    expect(text).toContain('***');
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThanOrEqual(300);
  });

  it('handles things that are not Errors', () => {
    expect(describeNodeError('plain string', [])).toBe('plain string');
  });
});
