import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TimelineEvent } from '@/lib/timeline/diff';
import { deadOwner, freshStore } from '../../scripts/test/store';
import { statement } from './database';
import { StoredTimeline } from './timeline';

const event = (n: number, kind: TimelineEvent['kind'] = 'node_fail'): TimelineEvent => ({
  at: new Date(Date.UTC(2025, 0, 1, 0, 0, n)).toISOString(),
  kind,
  severity: 'critical',
  nodeIds: [`n${n}`],
  message: `event ${n}`,
});

/** The parent of this test process: alive for as long as the test runs. */
function liveOtherOwner(): string {
  const stat = readFileSync(`/proc/${process.ppid}/stat`, 'utf8');
  return `${process.ppid}:${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`;
}

beforeEach(freshStore);

describe('the stored timeline', () => {
  it('returns a cluster’s events newest first and keeps the newest ones', () => {
    const a = new StoredTimeline('a', 5);
    const b = new StoredTimeline('b', 5);
    a.append([event(1), event(2)]);
    b.append([event(100)]);
    a.append([]);
    a.append([event(3), event(4), event(5), event(6), event(7)]);
    expect(a.recent(3).map((e) => e.message)).toEqual(['event 7', 'event 6', 'event 5']);
    expect(a.recent(100)).toHaveLength(5);
    expect(a.recent(1)[0]).toEqual(event(7));
    expect(b.recent(100).map((e) => e.message)).toEqual(['event 100']);
  });

  it('keeps a failover among the newest events when a migration’s slot events outnumber the limit', () => {
    const timeline = new StoredTimeline('a');
    timeline.append([event(1, 'failover')]);
    timeline.append(Array.from({ length: 20 }, (_, i) => event(i + 2, 'slot_closed')));
    timeline.append([event(30, 'role_changed')]);
    const kinds = timeline.recent(10).map((e) => e.kind);
    expect(kinds).toHaveLength(10);
    expect(kinds[0]).toBe('role_changed');
    expect(kinds.at(-1)).toBe('failover');
    expect(timeline.recent(10)[1]?.message).toBe('event 21');
  });

  it('is written by one dashboard process per cluster; another takes over once that one has ended', () => {
    const timeline = new StoredTimeline('a');
    statement('INSERT INTO timeline_writers (cluster_id, owner) VALUES (?, ?)').run('a', liveOtherOwner());
    timeline.append([event(1)]);
    expect(timeline.recent(10)).toEqual([]);
    statement('UPDATE timeline_writers SET owner = ?').run(deadOwner());
    timeline.append([event(2)]);
    timeline.append([event(3)]);
    expect(timeline.recent(10).map((e) => e.message)).toEqual(['event 3', 'event 2']);
  });
});
