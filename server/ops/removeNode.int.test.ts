import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { RemoveNodeResult } from '@/lib/jobs/types';
import { planRemoveNode } from '@/lib/plan/removeNode';
import { parseClusterInfo } from '@/lib/redis/clusterInfo';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import {
  auditConfigDir,
  frozenPoller,
  jobEnded,
  meetInto,
  replicateTo,
  replicationOf,
  viewOf,
} from '../../scripts/test/lifecycle';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import { ApiError } from '../api/errors';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { startJob } from '../jobs/registry';
import { startDrainOn } from './rebalance';
import { runRemoveNode, startRemoveNodeOn } from './removeNode';

const PASSWORD = 'remove-node-test-pw';
const admin: Principal = { kind: 'user', name: 'ada', role: 'admin' };
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
let dir: string;

beforeAll(async () => {
  dir = await auditConfigDir('remove-node-int-');
});
afterAll(async () => {
  stopPollers();
  await rm(dir, { recursive: true, force: true });
});

describe.each<Flavour>(['redis', 'valkey'])('remove-node on %s', (flavour) => {
  let dev: DevCluster;
  let poller: ClusterPoller;
  const config = (id: string) =>
    resolvedClusterFor(dev, { id, pollIntervalMs: 250, nodeDeadlineMs: 500, latencySampleMs: 0 });

  beforeAll(async () => {
    dev = await startThreeHostCluster({ password: PASSWORD, nodeTimeoutMs: 1000, serverBin: serverBin(flavour) });
    poller = new ClusterPoller(config(`remove-${flavour}`));
    poller.start();
    await waitFor('6 nodes polled', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 20_000);
  }, 180_000);
  afterAll(async () => {
    poller?.stop();
    await dev?.stop();
  });

  const members = () => dev.nodes.filter((n) => !removed.has(n.id));
  const removed = new Set<string>();
  const polled = (count: number) =>
    waitFor(
      `${count} nodes polled`,
      async () =>
        poller.latest?.summary.nodes === count && poller.latest.summary.reachable === count ? true : undefined,
      30_000,
    );

  /** Every remaining node's own view is free of it, it knows only itself, the poller dropped it, check clean. */
  async function expectGone(node: DevNode): Promise<void> {
    removed.add(node.id);
    for (const other of members()) {
      expect(
        (await viewOf(dev, other)).map((l) => l.id),
        `${other.addr}'s view`,
      ).not.toContain(node.id);
    }
    expect((await viewOf(dev, node)).map((l) => l.id)).toEqual([node.id]);
    const info = parseClusterInfo(String(await dev.client(node).call('CLUSTER', 'INFO')));
    expect(info.cluster_known_nodes).toBe(1);
    await waitFor(
      'the poller to drop it',
      async () => (poller.latest?.nodes.some((n) => n.id === node.id) === false ? true : undefined),
      20_000,
    );
    const seed = members()[0]?.addr ?? '';
    const check = await waitFor(
      'redis-cli check clean',
      async () => {
        const r = await redisCliCheck(seed, PASSWORD);
        return r.agree && r.covered && r.openSlots.length === 0 ? r : undefined;
      },
      20_000,
    );
    expect(check).toMatchObject({ unreachable: [], replicasOfUnknown: [] });
  }

  it('refuses a master that owns slots, offering a drain, and an operator', async () => {
    const [m0] = dev.masters;
    if (!m0) throw new Error('no master');
    const refused = await startRemoveNodeOn(poller, m0.id, admin).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('conflict');
    expect((refused as ApiError).message).toMatch(/owns 5461 slots: drain it first/);
    const byOperator = await startRemoveNodeOn(poller, m0.id, operator).catch((e: unknown) => e);
    expect((byOperator as ApiError).code).toBe('forbidden');
  });

  it('removes a slot-less master with a replica: the replica re-homed, the master forgotten and reset', async () => {
    const first = dev.nodes[0];
    if (!first) throw new Error('no node');
    const six = dev.nodes.slice(0, 6);
    const empty = await dev.startEmptyNode('127.0.0.1');
    await meetInto(dev, empty, first, six);
    const replica = await dev.startEmptyNode('127.0.0.2');
    await meetInto(dev, replica, first, [...six, empty]);
    // A plan made before the replica attached (a poll that lags): the FORGET must not go out on the nodes' own word.
    const stale = await frozenPoller(config(`remove-stale-${flavour}`), 8);
    const decision = stale.latest ? planRemoveNode(stale.latest, empty.id) : undefined;
    if (!decision?.ok) throw new Error(decision?.reason ?? 'no snapshot');
    expect(decision.plan.steps.map((s) => s.kind)).toEqual(['recheck', 'forget', 'verify', 'reset']);
    await replicateTo(dev, replica, empty.id);
    const guarded = await jobEnded<RemoveNodeResult>(
      startJob<RemoveNodeResult>('remove-node', `remove-stale-${flavour}`, 'test', (h) =>
        runRemoveNode(stale, h, decision.plan),
      ).id,
    );
    expect(guarded.state).toBe('failed');
    expect(guarded.error).toMatch(/refused before FORGET, nothing was forgotten: .*Can't forget my master/);
    expect(guarded.error).toMatch(/nothing was forgotten \(no FORGET sent\)/);
    for (const other of [...six, replica])
      expect(
        (await viewOf(dev, other)).map((l) => l.id),
        `${other.addr}'s view`,
      ).toContain(empty.id);
    await polled(8);

    const { jobId } = await startRemoveNodeOn(poller, empty.id, admin);
    const job = await jobEnded<RemoveNodeResult>(jobId);
    expect(job.error).toBeUndefined();
    expect(job.kind).toBe('remove-node');
    expect(job.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(job.result).toMatchObject({ forgotBy: 7, notForgotten: [], reset: 'done' });
    const rehomed = job.result?.rehomed[0];
    const newMaster = dev.masters.find((m) => m.id === rehomed?.masterId);
    expect(newMaster?.host).not.toBe(replica.host);
    const info = await replicationOf(dev, replica);
    expect(info.master_link_status).toBe('up');
    expect(`${info.master_host}:${info.master_port}`).toBe(newMaster?.addr);
    await expectGone(empty);
  }, 180_000);

  it('removes a replica: forgotten by every node, reset, the cluster checks clean', async () => {
    const [replica] = dev.replicas;
    if (!replica) throw new Error('no replica');
    const { jobId } = await startRemoveNodeOn(poller, replica.id, admin);
    const job = await jobEnded<RemoveNodeResult>(jobId);
    expect(job.error).toBeUndefined();
    expect(job.result).toMatchObject({ rehomed: [], forgotBy: 6, reset: 'done' });
    await expectGone(replica);
  }, 120_000);
  it('removes a drained master: the drain job empties it, Redis makes it a replica, the remove takes it out', async () => {
    const master = dev.masters[2];
    if (!master) throw new Error('no master');
    const drain = await startDrainOn(poller, { nodeId: master.id, confirm: master.id }, admin);
    const drained = await jobEnded(drain.jobId);
    expect(drained.state, drained.error).toBe('succeeded');
    // An emptied master turns into a replica of a master it gave slots to, and its replicas follow it there.
    await waitFor(
      'the drained master to be a replica, with no replica of its own',
      async () => {
        const nodes = poller.latest?.nodes ?? [];
        const self = nodes.find((n) => n.id === master.id);
        return self?.role === 'replica' && self.slots.length === 0 && !nodes.some((n) => n.masterId === master.id)
          ? true
          : undefined;
      },
      30_000,
    );
    const { jobId } = await startRemoveNodeOn(poller, master.id, admin);
    const job = await jobEnded<RemoveNodeResult>(jobId);
    expect(job.error).toBeUndefined();
    expect(job.result).toMatchObject({ notForgotten: [], reset: 'done' });
    await expectGone(master);
  }, 180_000);
  it('names a node that does not answer: the others forget, the job says where to FORGET again', async () => {
    const [, down, target] = dev.replicas;
    if (!down || !target) throw new Error('replicas expected');
    await dev.kill(down);
    removed.add(down.id);
    await waitFor(
      'the poller to see it unreachable',
      async () => (poller.latest?.nodes.find((n) => n.id === down.id)?.reachable === false ? true : undefined),
      20_000,
    );
    const { jobId } = await startRemoveNodeOn(poller, target.id, admin);
    const job = await jobEnded<RemoveNodeResult>(jobId);
    expect(job.error).toBeUndefined();
    expect(job.result?.notForgotten.map((n) => n.addr)).toEqual([down.addr]);
    expect(job.result?.notes.join(' ')).toContain(`${down.addr} did not take the FORGET`);
    expect(job.result?.notes.join(' ')).toContain('the removal is incomplete there');
    expect(job.result?.notes.join(' ')).toContain(`not watched after the job: once the 60 s ban ends, ${down.addr}`);
    expect(job.result?.reset).toBe('done');
    removed.add(target.id);
    for (const other of members())
      expect(
        (await viewOf(dev, other)).map((l) => l.id),
        `${other.addr}'s view`,
      ).not.toContain(target.id);
    expect((await viewOf(dev, target)).map((l) => l.id)).toEqual([target.id]);
  }, 120_000);
});
