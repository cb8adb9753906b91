import parsePrometheus from 'parse-prometheus-text-format';
import { describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '../cluster/types';
import { healthy, id, infoWith, withNode } from '../findings/snapshotFixture';
import { prometheusText } from './prometheus';

const scrape = (snapshot: ClusterSnapshot) =>
  parsePrometheus(prometheusText([{ snapshot, findings: [], pingMs: new Map([[id(1), 0.5]]) }]));

const seriesOf = (families: ReturnType<typeof scrape>, name: string, nodeId: string) =>
  families.find((f) => f.name === name)?.metrics.filter((m) => m.labels?.node_id === nodeId) ?? [];

/** Replica 4 promoted in place of master 1, which now follows it. */
function failedOver(): ClusterSnapshot {
  let after = withNode(healthy(), 4, {
    role: 'master',
    masterId: null,
    flags: ['master'],
    slots: [[0, 5460]],
    slotCount: 5461,
    configEpoch: 9,
    info: infoWith({ total_commands_processed: 5000 }),
  });
  after = withNode(after, 1, { role: 'replica', masterId: id(4), flags: ['slave'], slots: [], slotCount: 0 });
  return after;
}

describe('prometheusText', () => {
  it('labels every node series with cluster, addr and node_id only; role and flags live in redis_instance_info', () => {
    const families = scrape(healthy());
    const nodeFamilies = families.filter((f) => f.metrics.some((m) => m.labels?.node_id));
    expect(nodeFamilies.map((f) => f.name)).toContain('redis_commands_processed_total');
    for (const family of nodeFamilies) {
      if (family.name === 'redis_instance_info') continue;
      for (const m of family.metrics) {
        const keys = Object.keys(m.labels ?? {}).filter((k) => !(family.name === 'redis_db_keys' && k === 'db'));
        expect(keys.sort(), family.name).toEqual(['addr', 'cluster', 'node_id']);
      }
    }
    const [info] = seriesOf(families, 'redis_instance_info', id(4));
    expect(info).toEqual({
      value: '1',
      labels: {
        cluster: 'c',
        addr: '10.0.0.2:7004',
        node_id: id(4),
        role: 'replica',
        flags: 'slave',
        master_id: id(1),
        redis_version: '7.0.15',
        server_name: 'redis',
        redis_mode: 'cluster',
      },
    });
    expect(families.find((f) => f.name === 'redis_instance_info')?.metrics).toHaveLength(6);
  });

  it('keeps the counter series of a promoted replica the same series across the failover', () => {
    const before = scrape(healthy());
    const after = scrape(failedOver());
    const [counterBefore] = seriesOf(before, 'redis_commands_processed_total', id(4));
    const [counterAfter] = seriesOf(after, 'redis_commands_processed_total', id(4));
    expect(counterAfter?.labels).toEqual(counterBefore?.labels);
    expect(counterAfter?.value).toBe('5000');
    expect(seriesOf(before, 'redis_instance_info', id(4))[0]?.labels).toMatchObject({ role: 'replica' });
    expect(seriesOf(after, 'redis_instance_info', id(4))[0]?.labels).toMatchObject({ role: 'master', master_id: '' });
    expect(seriesOf(after, 'redis_instance_info', id(1))[0]?.labels).toMatchObject({
      role: 'replica',
      master_id: id(4),
    });
  });

  it('describes a node that does not answer by what the cluster says of it, without INFO series', () => {
    const families = scrape(
      withNode(healthy(), 2, { reachable: false, info: undefined, flags: ['master', 'fail'], error: 'timeout' }),
    );
    expect(seriesOf(families, 'redis_up', id(2))[0]?.value).toBe('0');
    expect(seriesOf(families, 'redis_cluster_node_failed', id(2))[0]?.value).toBe('1');
    expect(seriesOf(families, 'redis_memory_used_bytes', id(2))).toEqual([]);
    // An empty label is the same as no label to Prometheus: the version is simply not known.
    expect(seriesOf(families, 'redis_instance_info', id(2))[0]?.labels).toMatchObject({
      role: 'master',
      flags: 'master,fail',
      redis_version: '',
    });
  });
});
