import { describe, expect, it } from 'vitest';
import { sentinelFindings } from './findings';
import { healthySentinel } from './snapshotFixture';

describe('a replica the master lists but no sentinel does', () => {
  const unlisted = (replicasKnown: number) => {
    const s = healthySentinel();
    const b = s.replicas[1];
    if (!b) throw new Error('fixture');
    s.replicas = [...s.replicas, { ...b, addr: '10.0.0.4:6379', host: '10.0.0.4', knownBySentinels: 0 }];
    s.sentinels = s.sentinels.map((v) => ({ ...v, replicasKnown }));
    return sentinelFindings(s).find((f) => f.code === 'sentinel_replica_unknown');
  };

  it('the sentinels count more replicas than they list (replica-announced no): never "will never promote it"', () => {
    const f = unlisted(3);
    expect(f?.severity).toBe('warning');
    expect(f?.message).not.toMatch(/never promote/);
    expect(f?.message).toContain('counts 3 replicas (num-slaves) and lists 2');
    expect(f?.message).toContain('may still promote it');
    expect(f?.action).toContain('replica-announced');
  });

  it('the sentinels count only the replicas they list: they do not seem to know it', () => {
    const f = unlisted(2);
    expect(f?.message).toContain('do not seem to know it');
    expect(f?.action).toContain('replica-announced');
  });
});
