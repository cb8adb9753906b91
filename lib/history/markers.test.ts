import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../timeline/diff';
import { chartMarkers } from './markers';

const ev = (
  seconds: number,
  kind: TimelineEvent['kind'],
  nodeIds: string[],
  severity: TimelineEvent['severity'] = 'warning',
): TimelineEvent => ({
  at: new Date(seconds * 1000).toISOString(),
  kind,
  severity,
  nodeIds,
  message: `${kind} at ${seconds}`,
});

// Newest first, as GET /timeline answers.
const events = [
  ev(500, 'node_restarted', ['a']),
  ev(300, 'node_recovered', ['a'], 'info'),
  ev(101, 'failover', ['b', 'a']),
  ev(100, 'node_fail', ['a'], 'critical'),
  ev(99, 'node_pfail', ['a']),
  ev(10, 'failover', ['c', 'd']),
];

describe('chartMarkers', () => {
  it('keeps failover, FAIL and restart events in the window, oldest first, merging the close ones', () => {
    const markers = chartMarkers(events, { from: 50_000, to: 600_000, mergeWithinMs: 5_000 });
    expect(markers).toEqual([
      {
        t: 100_000,
        kinds: ['node_fail', 'failover'],
        label: 'FAIL + failover',
        detail: 'node_fail at 100\nfailover at 101',
        severity: 'critical',
        nodeIds: ['a', 'b'],
      },
      expect.objectContaining({ t: 500_000, label: 'restart', severity: 'warning' }),
    ]);
  });

  it('keeps apart events further apart than the merge distance', () => {
    expect(chartMarkers(events, { from: 0, to: 600_000, mergeWithinMs: 0 }).map((m) => m.label)).toEqual([
      'failover',
      'FAIL',
      'failover',
      'restart',
    ]);
  });

  it('keeps only the events naming a node when asked for one', () => {
    expect(chartMarkers(events, { from: 0, to: 600_000, mergeWithinMs: 0, nodeId: 'b' }).map((m) => m.t)).toEqual([
      101_000,
    ]);
    expect(chartMarkers(events, { from: 0, to: 600_000, mergeWithinMs: 0, nodeId: 'z' })).toEqual([]);
  });
});
