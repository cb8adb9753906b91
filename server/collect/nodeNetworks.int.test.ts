import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFindings } from '@/lib/findings';
import { clusterGlance } from '@/lib/overview/glance';
import { parseInfo } from '@/lib/redis/info';
import { type DevCluster, type DevNode, startDevCluster } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, waitFor } from '../../scripts/test/helpers';
import { readsFor } from '../clusters/reads';
import { JobConnections } from '../ops/jobConnections';
import { clusterGate } from '../ops/reshardPlan';
import { NodeConnection } from '../redis/nodeClient';
import { OutsideNodeNetworks } from '../security/nodeNetworks';
import { ClusterPoller } from './poller';

let dev: DevCluster;
let intruder: DevNode;
let poller: ClusterPoller;

/** AUTH calls the intruder has served (INFO commandstats): every connection the dashboard opens starts with one. */
async function authCalls(): Promise<number> {
  const stats = parseInfo(String(await dev.client(intruder).call('INFO', 'commandstats'))).fields;
  return Number(/calls=(\d+)/.exec(stats.cmdstat_auth ?? '')?.[1] ?? 0);
}

/** Connections to the intruder named as the dashboard names its own. */
async function dashboardClients(): Promise<string[]> {
  const list = String(await dev.client(intruder).call('CLIENT', 'LIST'));
  return list.split('\n').filter((line) => line.includes('name=cluster-dashboard'));
}

beforeAll(async () => {
  // The cluster on 127.0.0.1 with a password; the intruder on 127.0.0.2 (another loopback address: all of 127/8 is
  // local on Linux), started with the same password so that an AUTH from the dashboard would succeed and be counted.
  dev = await startDevCluster({ masters: 3, replicasPerMaster: 0, nodeTimeoutMs: 2000, password: 'cluster-secret' });
  intruder = await dev.startEmptyNode('127.0.0.2');
  poller = new ClusterPoller(resolvedClusterFor(dev, { nodeNetworks: ['127.0.0.1/32'], latencySampleMs: 50 }));
  poller.start();
  await waitFor('3 reachable masters', async () => (poller.latest?.summary.reachable === 3 ? true : undefined), 20_000);
});
afterAll(async () => {
  poller?.stop();
  await dev?.stop();
});

describe('a node MEETed in from outside nodeNetworks', () => {
  it('is shown from the other nodes’ views, never connected to, and reported critical', async () => {
    const before = await authCalls();
    expect(before, 'the test’s own admin connection').toBeGreaterThan(0);
    const [first] = dev.masters;
    if (!first) throw new Error('no master');
    await dev.client(intruder).call('CLUSTER', 'MEET', first.host, String(first.port));

    const shown = await waitFor(
      'the intruder to be listed, not polled',
      async () => {
        const node = poller.latest?.nodes.find((n) => n.id === intruder.id);
        return node?.outsideNodeNetworks ? node : undefined;
      },
      20_000,
    );
    expect(shown).toMatchObject({
      addr: intruder.addr,
      reachable: false,
      error: `not polled: ${intruder.addr} is outside nodeNetworks`,
    });
    // Several polls (and latency rounds) later, nothing has reached it.
    const polls = poller.polls;
    await waitFor('three more polls', async () => (poller.polls >= polls + 3 ? true : undefined), 10_000);

    const snapshot = poller.latest;
    if (!snapshot) throw new Error('no snapshot');
    const finding = evaluateFindings(snapshot).find((f) => f.code === 'node_outside_networks');
    expect(finding).toMatchObject({ severity: 'critical', nodeIds: [intruder.id] });
    expect(finding?.message).toContain(intruder.addr);
    expect(evaluateFindings(snapshot).map((f) => f.code)).not.toContain('unreachable_from_dashboard');
    // The screens count it as not polled, never as a node that does not answer.
    expect(clusterGlance(snapshot, evaluateFindings(snapshot))).toMatchObject({
      nodesUp: snapshot.summary.reachable,
      nodesKnown: snapshot.summary.reachable,
      nodesNotPolled: 1,
    });

    // Every other way in refuses too, before a packet is sent.
    expect(poller.member(intruder.id)?.connection).toBeUndefined();
    const jobs = new JobConnections(poller);
    expect(jobs.get(intruder.id)).toBeUndefined();
    expect(await jobs.ask(intruder.id, 'PING')).toBeUndefined();
    jobs.close();
    expect(await readsFor(poller).read(intruder.addr, ['SLOWLOG', 'GET', '10'], 1000)).toEqual({
      kind: 'error',
      error: `not polled: ${intruder.addr} is outside nodeNetworks`,
    });
    expect(() => new NodeConnection(intruder.addr, poller.cluster, 1000)).toThrow(OutsideNodeNetworks);
    // Slot moves refuse to start, naming it.
    expect(clusterGate(snapshot).find((c) => c.name === 'every node inside nodeNetworks')).toMatchObject({
      status: 'fail',
      value: intruder.addr,
    });

    expect(await authCalls(), 'AUTH calls on the intruder').toBe(before);
    expect(await dashboardClients()).toEqual([]);
  });
});
