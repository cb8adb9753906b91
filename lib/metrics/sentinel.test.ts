import parsePrometheus from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import { sentinelFindings } from '../sentinel/findings';
import { healthySentinel, MASTER, REPLICAS, SENTINELS, withSentinelsDown } from '../sentinel/snapshotFixture';
import type { SentinelSnapshot } from '../sentinel/types';
import { prometheusText } from './prometheus';
import { sentinelMetrics } from './sentinel';

const scrape = (snapshot: SentinelSnapshot) =>
  parsePrometheus(
    prometheusText([], (out) => sentinelMetrics(out, [{ snapshot, findings: sentinelFindings(snapshot) }])),
  );
const series = (families: ReturnType<typeof scrape>, name: string) =>
  families.find((f) => f.name === name)?.metrics ?? [];

describe('sentinelMetrics', () => {
  it("data nodes labelled like a cluster's nodes plus kind; role only in redis_instance_info", () => {
    const families = scrape(healthySentinel());
    const up = series(families, 'redis_up');
    expect(up.map((m) => m.labels)).toEqual(
      [MASTER, ...REPLICAS].map((addr) => ({ cluster: 's', addr, node_id: addr, kind: 'sentinel' })),
    );
    expect(series(families, 'redis_memory_used_bytes')).toHaveLength(3);
    expect(series(families, 'redis_instance_info').find((m) => m.labels?.addr === MASTER)?.labels).toMatchObject({
      role: 'master',
      redis_mode: 'sentinel',
    });
    expect(series(families, 'redis_replica_lag_bytes').map((m) => m.labels?.addr)).toEqual([...REPLICAS]);
    expect(series(families, 'redis_sentinel_up').map((m) => [m.labels?.addr, m.value])).toEqual(
      SENTINELS.map((a) => [a, '1']),
    );
    expect(series(families, 'redis_sentinel_agrees').every((m) => m.value === '1')).toBe(true);
    expect(series(families, 'redis_sentinel_quorum_ok')[0]?.value).toBe('1');
    expect(series(families, 'redis_haproxy_server_routed').map((m) => [m.labels?.server, m.value])).toEqual([
      ['r1', '1'],
      ['r2', '0'],
      ['r3', '0'],
    ]);
  });

  it('two sentinels down: quorum_ok 0 and the stopped ones up 0', () => {
    const families = scrape(withSentinelsDown(healthySentinel(), 2));
    expect(series(families, 'redis_sentinel_quorum_ok')[0]?.value).toBe('0');
    expect(series(families, 'redis_sentinel_up').map((m) => m.value)).toEqual(['1', '0', '0']);
    expect(series(families, 'redis_cluster_findings').find((m) => m.labels?.severity === 'critical')?.value).toBe('1');
  });
});
