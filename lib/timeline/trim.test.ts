import { describe, expect, it } from 'vitest';
import type { TimelineEvent, TimelineKind } from './diff';
import { keepImportant } from './trim';

const event = (n: number, kind: TimelineKind): TimelineEvent => ({
  at: new Date(n * 1000).toISOString(),
  kind,
  severity: 'info',
  nodeIds: [],
  message: `${kind} ${n}`,
});

describe('keepImportant', () => {
  it('drops the oldest slot events first, so a role change behind 199 slot closes stays', () => {
    const newestFirst = [
      ...Array.from({ length: 199 }, (_, i) => event(300 - i, 'slot_closed')),
      event(100, 'role_changed'),
      event(99, 'slot_opened'),
      event(98, 'node_joined'),
    ];
    const kept = keepImportant(newestFirst, 200);
    expect(kept).toHaveLength(200);
    expect(kept.map((e) => e.kind)).toContain('role_changed');
    expect(kept.at(-1)?.kind).toBe('node_joined');
    expect(kept[0]?.message).toBe('slot_closed 300');
    expect(kept.filter((e) => e.kind === 'slot_closed')).toHaveLength(198);
  });

  it('keeps the newest of the other kinds when they alone exceed the limit, and short lists whole', () => {
    const list = [event(3, 'failover'), event(2, 'slot_closed'), event(1, 'node_fail')];
    expect(keepImportant(list, 2).map((e) => e.kind)).toEqual(['failover', 'node_fail']);
    expect(keepImportant(list, 1).map((e) => e.kind)).toEqual(['failover']);
    expect(keepImportant(list, 5)).toEqual(list);
  });
});
