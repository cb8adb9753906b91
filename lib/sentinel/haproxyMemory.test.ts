import { describe, expect, it } from 'vitest';
import { haproxyReading } from './deploymentView';
import { haproxyFindings } from './haproxyFindings';
import { rememberHaproxy } from './haproxyMemory';
import { sentinelHealth } from './health';
import { healthySentinel } from './snapshotFixture';
import type { HaproxyView, SentinelSnapshot } from './types';

const T0 = '2026-12-05T12:00:00.000Z';
const T1 = '2026-12-05T12:00:02.000Z';
const T2 = '2026-12-05T12:00:04.000Z';

function refused(snapshot: SentinelSnapshot): HaproxyView {
  const h = snapshot.haproxy;
  if (!h) throw new Error('fixture');
  return {
    backend: h.backend,
    source: h.source,
    reachable: false,
    error: 'connect ECONNREFUSED /tmp/x/haproxy.sock',
    servers: [],
  };
}

describe('HAProxy that stops answering (T#1)', () => {
  it('answered before, refuses now: a critical "stopped answering at" finding, DOWN health, routing unknown', () => {
    const ok = healthySentinel();
    const first = rememberHaproxy(ok.haproxy, T0, {});
    const failed = rememberHaproxy(refused(ok), T1, first.memory);
    const again = rememberHaproxy(refused(ok), T2, failed.memory);
    // The streak keeps its start: the finding's time does not move poll to poll.
    expect(again.view?.failingSince).toBe(T1);
    expect(again.view?.lastOkAt).toBe(T0);
    const snapshot: SentinelSnapshot = { ...ok, collectedAt: T2, ...(again.view ? { haproxy: again.view } : {}) };
    const findings = haproxyFindings(snapshot);
    expect(findings.map((f) => `${f.severity}:${f.code}`)).toEqual(['critical:haproxy_not_answering']);
    expect(findings[0]?.message).toContain('HAProxy stopped answering at 12:00:02 UTC (ECONNREFUSED)');
    expect(findings[0]?.message).toContain('clients going through it have no Redis');
    expect(sentinelHealth(findings).health).toBe('down');
    const reading = haproxyReading(snapshot);
    expect(reading?.known).toBe(false);
    expect(reading?.agrees).toBe(false);
    // The last known table (3 servers as read at T0), greyed on the page.
    expect(reading?.rows.length).toBe(3);
    expect(reading?.lastOkAt).toBe(T0);
  });

  it('never answered: a warning about the socket/URL config, as before', () => {
    const ok = healthySentinel();
    const never = rememberHaproxy(refused(ok), T0, {});
    const snapshot: SentinelSnapshot = { ...ok, ...(never.view ? { haproxy: never.view } : {}) };
    expect(haproxyFindings(snapshot).map((f) => `${f.severity}:${f.code}`)).toEqual([
      'warning:haproxy_stats_unreadable',
    ]);
    expect(haproxyReading(snapshot)?.rows).toEqual([]);
  });

  it('answers again: the streak ends, the next failure starts a new one', () => {
    const ok = healthySentinel();
    const a = rememberHaproxy(ok.haproxy, T0, {});
    const b = rememberHaproxy(refused(ok), T1, a.memory);
    const c = rememberHaproxy(ok.haproxy, T2, b.memory);
    expect(c.memory.failingSince).toBeUndefined();
    expect(c.view?.failingSince).toBeUndefined();
    const d = rememberHaproxy(refused(ok), '2026-12-05T12:00:06.000Z', c.memory);
    expect(d.view?.failingSince).toBe('2026-12-05T12:00:06.000Z');
  });
});
