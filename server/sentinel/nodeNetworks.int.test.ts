import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultNodeNetworks } from '@/lib/config/nodeNetworks';
import { SentinelConfig } from '@/lib/config/schema';
import { parseInfo } from '@/lib/redis/info';
import { planSentinelFailover } from '@/lib/sentinel/failoverPlan';
import { sentinelFindings } from '@/lib/sentinel/findings';
import type { SentinelSnapshot } from '@/lib/sentinel/types';
import { waitFor } from '../../scripts/devcluster/cluster';
import { type SentinelGroup, startSentinelGroup } from '../../scripts/sentinelgroup/sentinelGroup';
import type { ResolvedSentinel } from '../config/load';
import { SentinelPoller } from './poller';

// The sentinels on 127.0.0.1, the data nodes on 127.0.0.2 and .3 (all of 127/8 is local on Linux), with a password:
// a dashboard whose nodeNetworks allows only 127.0.0.1/32 must never connect to (nor AUTH on) a data node.
let group: SentinelGroup;
const pollers: SentinelPoller[] = [];

function poller(nodeNetworks?: string[]): SentinelPoller {
  const {
    passwordEnv: _p,
    sentinelPasswordEnv: _s,
    tls: _t,
    nodeNetworks: _n,
    ...rest
  } = SentinelConfig.parse(group.configEntry({ pollIntervalMs: 250, nodeDeadlineMs: 600 }));
  const deployment: ResolvedSentinel = {
    ...rest,
    nodeNetworks: nodeNetworks ?? defaultNodeNetworks(rest.sentinels, Object.values(rest.natMap)),
    ...(nodeNetworks ? {} : { nodeNetworksByDefault: true }),
  };
  const p = new SentinelPoller(deployment);
  pollers.push(p);
  p.start();
  return p;
}

/** AUTH calls a data node has served (INFO commandstats): every connection the dashboard opens starts with one. */
async function authCalls(addr: string): Promise<number> {
  const stats = parseInfo(String(await group.client(addr).call('INFO', 'commandstats'))).fields;
  return Number(/calls=(\d+)/.exec(stats.cmdstat_auth ?? '')?.[1] ?? 0);
}

/** Connections to a data node named as the dashboard names its own. */
async function dashboardClients(addr: string): Promise<string[]> {
  const list = String(await group.client(addr).call('CLIENT', 'LIST'));
  return list.split('\n').filter((line) => line.includes('name=cluster-dashboard'));
}

const dataAddrs = () => group.dataNodes.map((n) => n.addr);

describe('nodeNetworks of a Sentinel deployment (real sentinels, data nodes on other loopback hosts)', () => {
  beforeAll(async () => {
    group = await startSentinelGroup({
      masterHost: '127.0.0.2',
      replicaHosts: ['127.0.0.3', '127.0.0.3'],
      sentinelHosts: ['127.0.0.1', '127.0.0.1', '127.0.0.1'],
      haproxy: false,
      password: 'data-secret',
    });
  }, 180_000);
  afterAll(async () => {
    for (const p of pollers) p.stop();
    await group?.stop();
  });

  it('data nodes outside are listed, never dialled nor AUTHed; a critical finding names each; the failover refuses', async () => {
    const before = await Promise.all(dataAddrs().map(authCalls));
    const p = poller(['127.0.0.1/32']);
    const seen = await waitFor(
      'the master and 2 replicas listed as not polled',
      async () => {
        const s: SentinelSnapshot = await p.fresh();
        const nodes = [s.master, ...s.replicas];
        return nodes.length === 3 && nodes.every((n) => n?.outsideNodeNetworks && !n.reachable) ? s : undefined;
      },
      20_000,
      50,
    );
    // A few more polls: each would have dialled the nodes again.
    for (let i = 0; i < 3; i++) await p.fresh();
    expect(seen.agreement.reachable).toBe(3);
    expect(seen.master?.error).toBe(`not polled: ${group.master.addr} is outside nodeNetworks`);
    const outside = sentinelFindings(seen).filter((f) => f.code === 'sentinel_node_outside_networks');
    expect(outside.map((f) => f.nodeIds[0]).sort()).toEqual(dataAddrs().sort());
    expect(outside.every((f) => f.severity === 'critical')).toBe(true);
    expect(planSentinelFailover(seen).allowed).toBe(false);
    for (const addr of dataAddrs()) expect(await dashboardClients(addr)).toEqual([]);
    expect(await Promise.all(dataAddrs().map(authCalls))).toEqual(before);

    // The same probes see the dashboard at once when the data nodes are inside (the default: the sentinels' /24).
    const inside = poller();
    await waitFor(
      'every data node polled',
      async () => {
        const s = await inside.fresh();
        return [s.master, ...s.replicas].every((n) => n?.reachable) ? s : undefined;
      },
      20_000,
      50,
    );
    for (const addr of dataAddrs()) expect((await dashboardClients(addr)).length).toBeGreaterThan(0);
    const after = await Promise.all(dataAddrs().map(authCalls));
    for (const [i, n] of after.entries()) expect(n).toBeGreaterThan(before[i] ?? 0);
  }, 90_000);
});
