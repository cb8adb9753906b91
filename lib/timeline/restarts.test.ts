import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../cluster/types';
import { healthy, id, withNode } from '../findings/snapshotFixture';
import { RestartWatch } from './restarts';

/** The healthy fixture at `seconds` after 0, every node up since 0 unless `uptime` says otherwise for node 2. */
function at(seconds: number, node2: { uptime?: number; reachable?: boolean } = {}): ClusterSnapshot {
  let s: ClusterSnapshot = { ...healthy(), collectedAt: new Date(seconds * 1000).toISOString() };
  for (const n of s.nodes)
    if (n.info) s = withNode(s, Number(n.id[0]), { info: { ...n.info, uptime_in_seconds: seconds } });
  const two = s.nodes.find((n) => n.id === id(2));
  if (two?.info && node2.uptime !== undefined)
    s = withNode(s, 2, { info: { ...two.info, uptime_in_seconds: node2.uptime } });
  if (node2.reachable === false)
    s = withNode(s, 2, { reachable: false, error: 'connect ECONNREFUSED', info: undefined });
  return s;
}

describe('RestartWatch', () => {
  it('records start times on first sight and reports nothing while uptime keeps counting', () => {
    const watch = new RestartWatch();
    expect(watch.check(at(100))).toEqual([]);
    expect(watch.check(at(100.6))).toEqual([]);
    expect(watch.check(at(101.9))).toEqual([]);
  });

  it('reports a node whose uptime went back between two polls', () => {
    const watch = new RestartWatch();
    watch.check(at(100));
    const events = watch.check(at(101, { uptime: 0 }));
    expect(events).toEqual([
      expect.objectContaining({ kind: 'node_restarted', nodeIds: [id(2)], at: new Date(101_000).toISOString() }),
    ]);
    expect(events[0]?.message).toMatch(/^10\.0\.0\.2:7002 .*restarted \(up 0 s\)/);
    expect(watch.check(at(102, { uptime: 1 }))).toEqual([]);
  });

  it('reports a node killed and started again after polls it did not answer', () => {
    const watch = new RestartWatch();
    watch.check(at(100));
    expect(watch.check(at(101, { reachable: false }))).toEqual([]);
    expect(watch.check(at(110, { reachable: false }))).toEqual([]);
    // Up again for 4 s already when the dashboard reaches it: still a restart, the start is after it was last seen.
    expect(watch.check(at(120, { uptime: 4 })).map((e) => e.kind)).toEqual(['node_restarted']);
  });

  it('does not call a node that was only unreachable (hung, network) restarted', () => {
    const watch = new RestartWatch();
    watch.check(at(100));
    watch.check(at(105, { reachable: false }));
    expect(watch.check(at(130))).toEqual([]);
  });
});
