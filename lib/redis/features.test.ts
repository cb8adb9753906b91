import { describe, expect, it } from 'vitest';
import { atLeast, serverVersion, supportsClusterLinks } from './features';

describe('feature detection', () => {
  it('compares versions numerically', () => {
    expect(atLeast('7.0.15', '7.0')).toBe(true);
    expect(atLeast('6.2.14', '7.0')).toBe(false);
    expect(atLeast('10.0.0', '9.1')).toBe(true);
  });

  it('tells Redis from Valkey and gates CLUSTER LINKS', () => {
    expect(serverVersion({ redis_version: '7.0.15' })).toEqual({ flavour: 'redis', version: '7.0.15' });
    expect(serverVersion({ redis_version: '7.2.4', server_name: 'valkey', valkey_version: '8.0.1' })).toEqual({
      flavour: 'valkey',
      version: '8.0.1',
    });
    expect(supportsClusterLinks({ flavour: 'redis', version: '6.2.14' })).toBe(false);
    expect(supportsClusterLinks({ flavour: 'redis', version: '7.0.15' })).toBe(true);
    expect(supportsClusterLinks({ flavour: 'valkey', version: '7.2.5' })).toBe(true);
  });
});
