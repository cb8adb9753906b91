import { describe, expect, it } from 'vitest';
import { ReplyParseError } from './errors';
import { parseSlowlog, REDACTED, redactSlowlogArgs } from './slowlog';

describe('parseSlowlog', () => {
  it('reads 7.0 entries with client address and name', () => {
    const entries = parseSlowlog([
      [14, 1795302372, 10234, ['SET', '<img src=x onerror=alert(1)>', 'v'], '127.0.0.1:50000', 'writer'],
      [13, 1795302371, 5, ['PING'], '127.0.0.1:50001', ''],
    ]);
    expect(entries[0]).toEqual({
      id: 14,
      timestamp: 1795302372,
      durationMicros: 10234,
      args: ['SET', '<img src=x onerror=alert(1)>', 'v'],
      clientAddr: '127.0.0.1:50000',
      clientName: 'writer',
    });
    expect(entries[1]?.clientName).toBe('');
  });

  it('reads pre-4.0 entries without client fields', () => {
    expect(parseSlowlog([[1, 2, 3, ['GET', 'k']]])[0]).toMatchObject({ clientAddr: '', clientName: '' });
  });

  it.each([['OK'], [[['x']]], [[[1, 2, 3, 'notalist']]], [[['a', 'b', 'c', []]]]])('refuses %j', (bad) => {
    expect(() => parseSlowlog(bad)).toThrow(ReplyParseError);
  });
});

describe('redactSlowlogArgs', () => {
  it('blanks the credentials of AUTH, MIGRATE AUTH/AUTH2, HELLO AUTH and CONFIG SET, and any argument holding a secret', () => {
    const keys = ['KEYS', 'a', 'b'];
    expect(redactSlowlogArgs(['MIGRATE', 'h', '1', '', '0', '5000', 'AUTH', 'pw', ...keys], [])).toEqual([
      'MIGRATE',
      'h',
      '1',
      '',
      '0',
      '5000',
      'AUTH',
      REDACTED,
      ...keys,
    ]);
    expect(redactSlowlogArgs(['migrate', 'h', '1', '', '0', '5000', 'auth2', 'u', 'pw', ...keys], [])).toEqual([
      'migrate',
      'h',
      '1',
      '',
      '0',
      '5000',
      'auth2',
      REDACTED,
      REDACTED,
      ...keys,
    ]);
    expect(redactSlowlogArgs(['AUTH', 'u', 'pw'], [])).toEqual(['AUTH', REDACTED, REDACTED]);
    expect(redactSlowlogArgs(['HELLO', '3', 'AUTH', 'u', 'pw'], [])).toEqual([
      'HELLO',
      '3',
      'AUTH',
      REDACTED,
      REDACTED,
    ]);
    expect(redactSlowlogArgs(['CONFIG', 'SET', 'maxmemory', '1gb', 'requirepass', 'pw'], [])).toEqual([
      'CONFIG',
      'SET',
      'maxmemory',
      '1gb',
      'requirepass',
      REDACTED,
    ]);
    expect(redactSlowlogArgs(['SET', 'k', 'x-s3cret-x'], ['s3cret'])).toEqual(['SET', 'k', REDACTED]);
    expect(redactSlowlogArgs(['GET', 'k'], ['s3cret'])).toEqual(['GET', 'k']);
  });
});
