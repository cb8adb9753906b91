import { describe, expect, it } from 'vitest';
import { unreachableKind } from './reachability';

describe('unreachableKind', () => {
  it('tells a hung node from a refused, an auth failure and a broken path', () => {
    expect(unreachableKind('no reply within 1000 ms')).toBe('hung');
    expect(unreachableKind('no reply within 1000 ms (still waiting, 4 s)')).toBe('hung');
    expect(unreachableKind('connect ECONNREFUSED 127.0.0.1:7000')).toBe('refused');
    expect(unreachableKind('authentication failed: WRONGPASS invalid username-password pair')).toBe('auth');
    expect(unreachableKind('authentication required: the node wants a password (NOAUTH)')).toBe('auth');
    expect(unreachableKind('connect ETIMEDOUT')).toBe('path');
    expect(unreachableKind('no connection within 1000 ms')).toBe('path');
    expect(unreachableKind('connect EHOSTUNREACH 10.0.0.9:7000')).toBe('path');
    expect(unreachableKind('not a Redis reply (protocol error): is this a Redis port?')).toBe('protocol');
    expect(unreachableKind(undefined)).toBe('other');
    expect(unreachableKind('not polled: 10.9.9.9:7000 is outside nodeNetworks')).toBe('outside');
  });
});
