import { describe, expect, it } from 'vitest';
import { configConfirmation, planConfigSet, refusedParam } from './setPlan';

describe('refusedParam', () => {
  it('refuses passwords, paths and addresses with the reason, and wildcards', () => {
    expect(refusedParam('requirepass')).toMatch(/password/);
    expect(refusedParam('dir')).toMatch(/file or folder/);
    expect(refusedParam('cluster-announce-ip')).toMatch(/address/);
    expect(refusedParam('maxmemory*')).toMatch(/no wildcards/);
    expect(refusedParam('maxmemory-policy')).toBeUndefined();
    expect(refusedParam('cluster-node-timeout')).toBeUndefined();
  });
});

describe('planConfigSet', () => {
  const read = (addr: string, role: 'master' | 'replica', old?: Record<string, string>) => ({
    id: addr,
    addr,
    role,
    ...(old ? { old } : { error: 'CONFIG disabled on this node', command: 'disabled' as const }),
  });

  it('shows old -> new on every node, masters first', () => {
    const plan = planConfigSet(
      [read('h:2', 'replica', { maxmemory: '0' }), read('h:1', 'master', { maxmemory: '100' })],
      { maxmemory: '200' },
    );
    expect(plan).toEqual({
      ok: true,
      rows: [
        { id: 'h:1', addr: 'h:1', role: 'master', changes: [{ name: 'maxmemory', old: '100', new: '200' }] },
        { id: 'h:2', addr: 'h:2', role: 'replica', changes: [{ name: 'maxmemory', old: '0', new: '200' }] },
      ],
    });
  });

  it('refuses before anything is sent: a node it cannot read is named, as is a parameter a node lacks', () => {
    expect(planConfigSet([read('h:1', 'master', { a: '1' }), read('h:2', 'master')], { a: '2' })).toEqual({
      ok: false,
      reason: 'every node must take the value; cannot read h:2 (CONFIG disabled on this node)',
    });
    expect(planConfigSet([read('h:1', 'master', { a: '1' })], { b: '2' })).toEqual({
      ok: false,
      reason: 'h:1 has no parameter b',
    });
    expect(planConfigSet([read('h:1', 'master', { a: '1' })], { requirepass: 'x' })).toMatchObject({ ok: false });
  });

  it('asks for the parameter names as confirmation', () => {
    expect(configConfirmation({ maxmemory: '1', 'maxmemory-policy': 'allkeys-lru' })).toBe(
      'maxmemory, maxmemory-policy',
    );
  });
});
