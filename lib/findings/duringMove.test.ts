import { describe, expect, it } from 'vitest';
import { duringMove } from './duringMove';
import type { Finding } from './types';

const open: Finding = {
  code: 'slot_open',
  severity: 'warning',
  nodeIds: ['a'],
  message: 'Node a has slots in migrating state.',
  action: 'If no reshard is running, run redis-cli --cluster fix.',
  slots: [5],
};
const other: Finding = { code: 'no_replica', severity: 'warning', nodeIds: ['b'], message: 'm', action: 'x' };

describe('duringMove', () => {
  it('turns open slots into information naming the running slot move, and leaves other findings alone', () => {
    const out = duringMove([open, other], { id: 'j1', kind: 'rebalance', state: 'running' });
    expect(out[0]).toMatchObject({ code: 'slot_open', severity: 'info', slots: [5] });
    expect(out[0]?.message).toMatch(/^Being moved by the running rebalance job j1: /);
    expect(out[0]?.action).not.toMatch(/fix/);
    expect(out[1]).toBe(other);
  });

  it('changes nothing when no slot move runs (ended, interrupted, or another kind of job)', () => {
    for (const job of [
      undefined,
      { id: 'j', kind: 'reshard', state: 'interrupted' as const },
      { id: 'j', kind: 'reshard', state: 'succeeded' as const },
      { id: 'j', kind: 'failover', state: 'running' as const },
    ])
      expect(duringMove([open], job)).toEqual([open]);
  });
});
