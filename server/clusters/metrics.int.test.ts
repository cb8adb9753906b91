import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ClusterPoller } from '../collect/poller';
import { metricsText } from './metrics';

let dev: DevCluster;
let poller: ClusterPoller;

beforeAll(async () => {
  dev = await startThreeHostCluster();
  poller = new ClusterPoller(resolvedClusterFor(dev, { pollIntervalMs: 250 }));
  poller.start();
  await waitFor('all nodes reachable', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 15_000);
});
afterAll(async () => {
  poller?.stop();
  await dev?.stop();
});

function scrape() {
  const families = parsePrometheus(metricsText([poller]));
  const series = (name: string) => families.find((f) => f.name === name)?.metrics ?? [];
  const of = (name: string, nodeId: string) => series(name).find((m) => m.labels?.node_id === nodeId);
  return { series, of };
}

describe('GET /api/metrics across a real failover', () => {
  it('keeps the commands-processed series of the promoted replica; only redis_instance_info changes its role', async () => {
    const replica = dev.replicas[0];
    const master = dev.masters.find((m) => m.id === replica?.masterId);
    if (!replica || !master) throw new Error('no replica/master pair');
    const before = scrape();
    const counterBefore = before.of('redis_commands_processed_total', replica.id);
    expect(counterBefore?.labels).toEqual({ cluster: 'test', addr: replica.addr, node_id: replica.id });
    expect(before.of('redis_instance_info', replica.id)?.labels).toMatchObject({ role: 'replica', flags: 'slave' });
    const allSeriesBefore = before.series('redis_commands_processed_total').map((m) => m.labels);

    await dev.client(replica).call('CLUSTER', 'FAILOVER');
    await waitFor(
      'the roles to flip in the poller snapshot',
      async () => {
        const nodes = poller.latest?.nodes ?? [];
        const promoted = nodes.find((n) => n.id === replica.id);
        const demoted = nodes.find((n) => n.id === master.id);
        return promoted?.role === 'master' && demoted?.role === 'replica' && demoted.reachable ? true : undefined;
      },
      20_000,
      50,
    );

    const after = scrape();
    const counterAfter = after.of('redis_commands_processed_total', replica.id);
    expect(counterAfter?.labels).toEqual(counterBefore?.labels);
    expect(Number(counterAfter?.value)).toBeGreaterThan(Number(counterBefore?.value));
    // No series appeared or vanished: every node's counter is the same series as before.
    expect(after.series('redis_commands_processed_total').map((m) => m.labels)).toEqual(
      expect.arrayContaining(allSeriesBefore),
    );
    expect(after.series('redis_commands_processed_total')).toHaveLength(allSeriesBefore.length);
    expect(after.of('redis_instance_info', replica.id)?.labels).toMatchObject({ role: 'master', master_id: '' });
    expect(after.of('redis_instance_info', master.id)?.labels).toMatchObject({
      role: 'replica',
      master_id: replica.id,
    });
  });
});
