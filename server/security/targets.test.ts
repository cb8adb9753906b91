import { describe, expect, it } from 'vitest';
import { inAllowList } from './targets';

describe('inAllowList', () => {
  const list = ['10.0.0.0/8:6379-6399', '192.168.1.5', 'redis-9.internal:7000', '[fd00::/8]:6379'];

  it('matches CIDRs with port ranges, single hosts and host names', () => {
    expect(inAllowList('10.20.30.40:6380', list)).toBe(true);
    expect(inAllowList('10.20.30.40:6400', list)).toBe(false);
    expect(inAllowList('192.168.1.5:1', list)).toBe(true);
    expect(inAllowList('REDIS-9.internal:7000', list)).toBe(true);
    expect(inAllowList('[fd12::1]:6379', list)).toBe(true);
  });

  it('implies nothing: loopback, private ranges and metadata addresses are refused unless listed', () => {
    for (const addr of [
      '127.0.0.1:6379',
      '172.16.0.1:6379',
      '192.168.1.6:6379',
      '169.254.169.254:80',
      '11.0.0.1:6379',
      'redis-9.internal:7001',
    ]) {
      expect(inAllowList(addr, list)).toBe(false);
    }
    expect(inAllowList('10.0.0.1:6379', [])).toBe(false);
  });
});
