import { describe, expect, it } from 'vitest';
import { sentinelFindings } from './findings';
import { orderedSentinelFindings, sortSentinelFindings } from './findingsOrder';
import { sentinelHealth } from './health';
import { healthySentinel, REPLICAS } from './snapshotFixture';
import type { SentinelSnapshot } from './types';

/** Split brain as T saw it (m-15): a replica answers role:master, HAProxy routes to it too, no min-replicas-to-write. */
function splitBrain(): SentinelSnapshot {
  const s = healthySentinel();
  if (!s.master || !s.haproxy) throw new Error('fixture');
  s.master = { ...s.master, minReplicasToWrite: 0 };
  s.replicas = s.replicas.map((r) => (r.addr === REPLICAS[0] ? { ...r, role: 'master' as const } : r));
  s.haproxy.servers = s.haproxy.servers.map((x) =>
    x.addr === REPLICAS[0] ? { ...x, routed: true, status: 'UP', checkStatus: 'L7OK' } : x,
  );
  return s;
}

const RANK = { critical: 0, warning: 1, info: 2 } as const;

describe('Sentinel findings worst first (T#5) with a fixed order (T#4 headline flapping)', () => {
  it('lists critical before warning before info, whatever order the rules produce them in', () => {
    const s = splitBrain();
    const raw = sentinelFindings(s);
    expect(raw.some((f) => f.severity === 'warning')).toBe(true);
    const ordered = orderedSentinelFindings(s);
    expect(ordered.map((f) => f.code).sort()).toEqual(raw.map((f) => f.code).sort());
    const ranks = ordered.map((f) => RANK[f.severity]);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  it('the same findings in any order give the same list and the same headline', () => {
    const ordered = orderedSentinelFindings(splitBrain());
    const reversed = sortSentinelFindings([...ordered].reverse());
    expect(reversed.map((f) => f.code)).toEqual(ordered.map((f) => f.code));
    expect(sentinelHealth([...ordered].reverse()).headline).toBe(sentinelHealth(ordered).headline);
    expect(sentinelHealth(reversed).headline).toBe(sentinelHealth(ordered).headline);
  });
});
