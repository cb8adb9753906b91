import { describe, expect, it } from 'vitest';
import { evaluateFindings } from '../findings';
import { healthy, id, withNode } from '../findings/snapshotFixture';
import { wallSnapshot } from './wallSnapshot';

const GLANCE_KEYS = [
  'health',
  'detail',
  'nodesUp',
  'nodesKnown',
  'nodesNotPolled',
  'masters',
  'memory',
  'opsPerSec',
  'shards',
];
const WALL_KEYS = ['clusterId', 'clusterName', 'collectedAt', 'ageMs', 'pollIntervalMs', ...GLANCE_KEYS].sort();

function wall(snapshot = healthy()) {
  const response = { ...snapshot, user: 'dashboard-acl-user', ageMs: 120, pollIntervalMs: 1000 };
  return wallSnapshot(response, evaluateFindings(response));
}

describe('wallSnapshot', () => {
  it('carries what the wall shows and no other field of the snapshot', () => {
    const w = wall();
    expect(Object.keys(w).sort()).toEqual(WALL_KEYS);
    expect(Object.keys(w.shards[0] ?? {}).sort()).toEqual(
      ['masterId', 'addr', 'color', 'state', 'slotCount', 'slotLabel'].sort(),
    );
    expect(w).toMatchObject({ clusterId: 'c', ageMs: 120, pollIntervalMs: 1000, nodesUp: 6, nodesKnown: 6 });
    const text = JSON.stringify(w);
    // No ACL user, no INFO or config, no node list: not even the replicas' ids.
    for (const absent of ['dashboard-acl-user', 'redis_version', 'clusterConfig', 'nodeIds', '"nodes"', id(4)])
      expect(text, absent).not.toContain(absent);
  });

  it('counts nodes outside nodeNetworks as not polled, not as nodes down', () => {
    const outside = { reachable: false, info: undefined, outsideNodeNetworks: true as const };
    let s = healthy();
    for (const n of [2, 5, 3, 6]) s = withNode(s, n, outside);
    const w = wall({ ...s, summary: { ...s.summary, reachable: 2 } });
    expect(w).toMatchObject({ nodesUp: 2, nodesKnown: 2, nodesNotPolled: 4 });
    expect(w.shards.map((sh) => sh.state)).toEqual(['up', 'notPolled', 'notPolled']);
  });

  it('names the worst finding by its headline only, never its message, advice or nodes', () => {
    const hung = withNode(healthy(), 2, { reachable: false, info: undefined, error: 'timeout' });
    const snapshot = { ...hung, summary: { ...hung.summary, reachable: 5 } };
    const w = wall(snapshot);
    const findings = evaluateFindings(snapshot);
    expect(w.health.health).toBe('degraded');
    expect(Object.keys(w.health.worst ?? {}).sort()).toEqual(['code', 'headline', 'severity']);
    const text = JSON.stringify(w);
    for (const f of findings) {
      expect(text).not.toContain(f.action);
      if (f.headline) expect(text).not.toContain(f.message);
    }
  });
});
