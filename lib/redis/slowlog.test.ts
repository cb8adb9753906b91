import { describe, expect, it } from 'vitest';
import { ReplyParseError } from './errors';
import { parseSlowlog } from './slowlog';

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
