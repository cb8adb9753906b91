import { describe, expect, it } from 'vitest';
import { auditLine } from './log';

const base = {
  user: 'ann',
  role: 'admin',
  action: 'target.check',
  result: 'refused',
  status: 400,
  durationMs: 1,
} as const;

describe('auditLine', () => {
  it('redacts every given secret wherever it appears, in any field and under any key', () => {
    const secret = 'cluster-password-123';
    const line = auditLine(
      {
        ...base,
        user: secret,
        cluster: `x${secret}`,
        targets: [`${secret}:6379`],
        params: { note: secret, deep: { list: [`a ${secret} b`] }, [secret]: 1, confirm: secret.repeat(20) },
        reason: `wrong: ${secret}`,
      },
      [secret],
    );
    expect(line).not.toContain(secret);
    expect(line).not.toContain('cluster-password');
    expect(JSON.parse(line)).toMatchObject({ user: '[redacted]', params: { note: '[redacted]' } });
  });

  it('stays one bounded line whatever the entry holds', () => {
    const line = auditLine(
      {
        ...base,
        user: 'u'.repeat(100_000),
        targets: Array.from({ length: 5000 }, (_, i) => `10.0.${i >> 8}.${i & 255}:6379`),
        params: Object.fromEntries(
          Array.from({ length: 60_000 }, (_, i) => [`key-${i}-${'k'.repeat(60)}`, '\u0000'.repeat(300)]),
        ),
        reason: 'r\n'.repeat(10_000),
      },
      [],
    );
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(Buffer.byteLength(line)).toBeLessThanOrEqual(8 * 1024 + 1);
    expect(JSON.parse(line)).toMatchObject({ params: { omitted: 'over 8192 bytes' } });
  });
});
