import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { AddNodeResult, Job } from '@/lib/jobs/types';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { parseInfo } from '@/lib/redis/info';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import { ApiError } from '../api/errors';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { getJob } from '../jobs/registry';
import { startAddNodeOn } from './addNode';
import { previewAddNodeOn } from './addNodePlan';

const PASSWORD = 'add-node-test-pw';
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
const POLLING = { pollIntervalMs: 250, nodeDeadlineMs: 500, latencySampleMs: 0 };
describe.each<Flavour>(['redis', 'valkey'])('add-node on a real %s cluster', (flavour) => {
  let dev: DevCluster;
  let poller: ClusterPoller;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'add-node-int-'));
    // The audit log needs a config; its one cluster is not the one under test.
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({
        clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }],
        auditLogPath: 'audit.jsonl',
      }),
    );
    process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
    dev = await startThreeHostCluster({ password: PASSWORD, nodeTimeoutMs: 1000, serverBin: serverBin(flavour) });
    poller = new ClusterPoller(
      resolvedClusterFor(dev, { ...POLLING, id: `add-node-${flavour}`, allowedTargets: ['127.0.0.0/8'] }),
    );
    poller.start();
    await waitFor(
      'all nodes reachable',
      async () => (poller.latest?.summary.reachable === 6 ? true : undefined),
      15_000,
    );
  }, 120_000);
  afterAll(async () => {
    poller?.stop();
    stopPollers();
    await dev?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function finished(jobId: string): Promise<Job<AddNodeResult>> {
    return waitFor(
      'the add-node job to end',
      async () => {
        const job = getJob(jobId) as Job<AddNodeResult> | undefined;
        return job && job.state !== 'running' ? job : undefined;
      },
      90_000,
      50,
    );
  }

  const viewOf = async (node: Pick<DevNode, 'host' | 'port'>) =>
    parseClusterNodes(String(await dev.client(node).call('CLUSTER', 'NODES')));

  /** Masters with slots, lowest slot first, from the nodes' own view (not the dashboard's). */
  async function mastersBySlot() {
    const first = dev.nodes[0];
    if (!first) throw new Error('no node');
    return (await viewOf(first))
      .filter((l) => l.role === 'master' && l.slots.length > 0)
      .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
  }

  /** The poller has seen `count` reachable nodes (the next add plans on a snapshot that includes the last one). */
  const untilPolled = (count: number) =>
    waitFor(
      `${count} reachable nodes polled`,
      async () => (poller.latest?.summary.reachable === count && poller.latest.status === 'ok' ? true : undefined),
      30_000,
    );

  async function add(node: DevNode, role: 'master' | 'replica'): Promise<Job<AddNodeResult>> {
    const { jobId } = await startAddNodeOn(poller, { addr: node.addr, role, confirm: node.addr }, operator);
    return finished(jobId);
  }

  it('adds an empty master: every node lists it, redis-cli check clean, rebalance offered', async () => {
    const fresh = await dev.startEmptyNode('127.0.0.1');
    const job = await add(fresh, 'master');
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.result).toMatchObject({ nodeId: fresh.id, role: 'master', knownBy: 6, offerRebalance: true });
    expect(job.steps.map((s) => s.state)).toEqual(['done', 'done', 'done']);
    for (const node of dev.nodes) {
      const line = (await viewOf(node)).find((l) => l.id === fresh.id);
      expect(line?.role, `${node.addr}'s view`).toBe('master');
    }
    const check = await redisCliCheck(fresh.addr, PASSWORD);
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [], replicasOfUnknown: [] });
    await untilPolled(7);
  }, 120_000);

  it('adds replicas to the master with fewest replicas on another host, links up', async () => {
    const [m0, m1, m2] = await mastersBySlot();
    if (!m0 || !m1 || !m2) throw new Error('three masters expected');
    // Every master has one replica: the tie goes to the lowest slot, except m0 which shares the new node's host.
    const first = await dev.startEmptyNode(m0.host);
    // The preview the operator sees names the master the job then picks.
    const preview = await previewAddNodeOn(poller, { addr: first.addr, role: 'replica' }, operator);
    expect(preview.decision.ok ? preview.decision.plan.master : preview.decision.reason).toMatchObject({
      id: m1.id,
      replicas: 1,
      sameHost: false,
    });
    const one = await add(first, 'replica');
    expect(one.error).toBeUndefined();
    expect(one.result).toMatchObject({ nodeId: first.id, role: 'replica', masterId: m1.id });
    // m1 now has two: of m0 (same host) and m2 (one each), m2 is the only one left.
    await untilPolled(8);
    const second = await dev.startEmptyNode(m0.host);
    const two = await add(second, 'replica');
    expect(two.error).toBeUndefined();
    expect(two.result?.masterId).toBe(m2.id);
    for (const [node, master] of [
      [first, m1],
      [second, m2],
    ] as const) {
      const info = parseInfo(String(await dev.client(node).call('INFO', 'replication'))).fields;
      expect(info.master_link_status).toBe('up');
      expect(info.master_host).not.toBe(node.host);
      expect((await viewOf(m0)).find((l) => l.id === node.id)?.masterId).toBe(master.id);
    }
    const check = await redisCliCheck(first.addr, PASSWORD);
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [], replicasOfUnknown: [] });
    await untilPolled(9);
  }, 180_000);

  /** Commands a node has run since CONFIG RESETSTAT, by INFO commandstats name ("cluster|meet"). */
  async function commandsRun(node: DevNode): Promise<string[]> {
    const stats = String(await dev.client(node).call('INFO', 'commandstats'));
    return [...stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((m) => m[1] ?? '').sort();
  }

  /**
   * What the check and the test's own connection may have sent: connecting (AUTH, HELLO, CLIENT, the ready check's
   * INFO), the check's reads, RESETSTAT. Anything else — MEET, REPLICATE, a write — would be a change.
   */
  const CHECK_ONLY = new Set([
    'auth',
    'hello',
    'ping',
    'select',
    'client|setname',
    'client|setinfo',
    'info',
    'cluster|info',
    'cluster|myid',
    'config|resetstat',
  ]);

  /** The preview refuses with `reason`, starting refuses the same way, and the node ran nothing but the checks. */
  async function expectRefusedUntouched(node: DevNode, role: 'master' | 'replica', reason: RegExp): Promise<void> {
    await dev.client(node).call('CONFIG', 'RESETSTAT');
    const preview = await previewAddNodeOn(poller, { addr: node.addr, role }, operator);
    expect(preview.facts).toMatchObject({ addr: node.addr, reachable: true, clusterEnabled: true, nodeId: node.id });
    expect(preview.decision.ok).toBe(false);
    expect(preview.decision.ok ? '' : preview.decision.reason).toMatch(reason);
    const refused = await startAddNodeOn(poller, { addr: node.addr, role, confirm: node.addr }, operator).catch(
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('conflict');
    expect((refused as ApiError).message).toMatch(reason);
    expect((refused as ApiError).message).toMatch(/nothing was sent beyond the checks/);
    const ran = await commandsRun(node);
    // The checks did reach it (twice: preview and start), and nothing else did.
    expect(ran).toContain('cluster|myid');
    expect(ran.filter((c) => !CHECK_ONLY.has(c))).toEqual([]);
    expect(poller.latest?.nodes.some((n) => n.id === node.id)).toBe(false);
  }

  it('refuses a node holding a key, sending nothing beyond the checks', async () => {
    const loaded = await dev.startEmptyNode('127.0.0.3');
    const client = dev.client(loaded);
    // A key on a node that knows only itself: own every slot for a moment, write, give the slots up again.
    await client.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    await waitFor(
      'the lone node to serve',
      async () => ((await client.call('SET', 'left-over', 'x').catch(() => undefined)) === 'OK' ? true : undefined),
      10_000,
    );
    await client.call('CLUSTER', 'DELSLOTSRANGE', '0', '16383');
    await expectRefusedUntouched(loaded, 'master', /holds 1 key: only an empty node can be added/);
    expect((await viewOf(loaded)).map((l) => l.id)).toEqual([loaded.id]);
  }, 60_000);

  it('refuses a node that already belongs to another cluster, sending nothing beyond the checks', async () => {
    const a = await dev.startEmptyNode('127.0.0.2');
    const b = await dev.startEmptyNode('127.0.0.3');
    await dev.client(a).call('CLUSTER', 'MEET', b.host, String(b.port));
    await waitFor(
      'the other pair to know each other',
      async () => ((await viewOf(a)).some((l) => l.id === b.id && !l.flags.includes('handshake')) ? true : undefined),
      10_000,
    );
    await expectRefusedUntouched(a, 'replica', /knows 1 other node: it already belongs to a cluster/);
    expect((await viewOf(a)).map((l) => l.id).sort()).toEqual([a.id, b.id].sort());
  }, 60_000);
});
