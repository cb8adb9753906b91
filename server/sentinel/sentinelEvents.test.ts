import { describe, expect, it } from 'vitest';
import { instanceAddr, switchedTo } from './sentinelEvents';

// The messages as redis-sentinel 7.0 and valkey-sentinel 8.0 publish them (sentinelEvent's "%@" format).
describe("reading the sentinels' events", () => {
  it('names the replica an instance event is about', () => {
    expect(instanceAddr('slave 127.0.0.3:6379 127.0.0.3 6379 @ mymaster 127.0.0.1 6379')).toBe('127.0.0.3:6379');
    expect(instanceAddr('master mymaster 127.0.0.1 6379')).toBeUndefined();
    expect(instanceAddr('')).toBeUndefined();
  });

  it('reads the old and new master of +switch-master', () => {
    expect(switchedTo('mymaster 127.0.0.1 6379 127.0.0.3 6380')).toEqual({
      name: 'mymaster',
      from: '127.0.0.1:6379',
      to: '127.0.0.3:6380',
    });
    expect(switchedTo('mymaster')).toBeUndefined();
  });

  it('names IPv6 instances in the bracketed form the snapshot uses', () => {
    expect(instanceAddr('slave [::1]:6380 ::1 6380 @ mymaster ::1 6379')).toBe('[::1]:6380');
    expect(switchedTo('mymaster ::1 6379 ::1 6380')).toEqual({
      name: 'mymaster',
      from: '[::1]:6379',
      to: '[::1]:6380',
    });
  });
});
