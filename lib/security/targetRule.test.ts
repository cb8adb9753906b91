import { describe, expect, it } from 'vitest';
import { parseTargetRule } from './targetRule';

describe('parseTargetRule', () => {
  it('reads CIDRs, hosts and port ranges', () => {
    expect(parseTargetRule('10.0.0.0/8')).toEqual({ kind: 'cidr', address: '10.0.0.0', prefix: 8, family: 4 });
    expect(parseTargetRule('10.0.0.0/8:6379-6399')).toMatchObject({ ports: [6379, 6399] });
    expect(parseTargetRule('10.1.2.3:7000')).toEqual({ kind: 'host', address: '10.1.2.3', ports: [7000, 7000] });
    expect(parseTargetRule('Redis-7.internal:6379')).toMatchObject({ kind: 'host', address: 'redis-7.internal' });
    expect(parseTargetRule('[fd00::/8]:6379')).toMatchObject({ kind: 'cidr', family: 6, prefix: 8 });
    expect(parseTargetRule('[::1]')).toMatchObject({ kind: 'host', address: '::1' });
  });

  it.each(['10.0.0.0/33', '10.0.0.0/8:0', '10.0.0.0/8:10-5', '999.1.1.1/8', 'bad host!', 'fd00::/8', '10.0.0.0/8:abc'])(
    'refuses %s with a sentence',
    (entry) => {
      expect(typeof parseTargetRule(entry)).toBe('string');
    },
  );
});
