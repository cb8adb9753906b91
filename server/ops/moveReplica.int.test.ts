import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { MoveReplicaResult } from '@/lib/jobs/types';
import { planMoveReplica } from '@/lib/plan/moveReplica';
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
import type { ApiError } from '../api/errors';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { startJob } from '../jobs/registry';
import { runMoveReplica, startMoveReplicaOn } from './moveReplica';

const PASSWORD = 'move-replica-test-pw';
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
const viewer: Principal = { kind: 'user', name: 'vera', role: 'viewer' };
let dir: string;

beforeAll(async () => {
  dir = await auditConfigDir('move-replica-int-');
});
afterAll(async () => {
  stopPollers();
  await rm(dir, { recursive: true, force: true });
});

describe.each<Flavour>(['redis', 'valkey'])('move-replica on %s', (flavour) => {
  let dev: DevCluster;
  let poller: ClusterPoller;
  const config = (id: string) =>
    resolvedClusterFor(dev, { id, pollIntervalMs: 250, nodeDeadlineMs: 500, latencySampleMs: 0 });

  beforeAll(async () => {
    dev = await startThreeHostCluster({ password: PASSWORD, nodeTimeoutMs: 1000, serverBin: serverBin(flavour) });
    poller = new ClusterPoller(config(`move-${flavour}`));
    poller.start();
    await waitFor('6 nodes polled', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 20_000);
  }, 180_000);
  afterAll(async () => {
    poller?.stop();
    await dev?.stop();
  });

  it('moves a second replica to another master: REPLICATE sent, link up, the master lists it', async () => {
    const [m0, m1] = dev.masters;
    const first = dev.nodes[0];
    if (!m0 || !m1 || !first) throw new Error('masters expected');
    // A second replica of m0 (so moving it orphans no master: replica migration would undo that), on m1's host.
    const extra: DevNode = await dev.startEmptyNode('127.0.0.3');
    await meetInto(dev, extra, first, dev.nodes.slice(0, 6));
    await replicateTo(dev, extra, m0.id);
    await waitFor(
      'the poller to see it as m0s replica',
      async () => (poller.latest?.nodes.find((n) => n.id === extra.id)?.masterId === m0.id ? true : undefined),
      20_000,
    );

    const refused = await startMoveReplicaOn(poller, extra.id, m1.id, viewer).catch((e: unknown) => e);
    expect((refused as ApiError).code).toBe('forbidden');

    const { jobId } = await startMoveReplicaOn(poller, extra.id, m1.id, operator);
    const job = await jobEnded<MoveReplicaResult>(jobId);
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.kind).toBe('move-replica');
    expect(job.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
    expect(job.result).toMatchObject({ replicaId: extra.id, masterId: m1.id });

    const info = await replicationOf(dev, extra);
    expect(info.master_link_status).toBe('up');
    expect(`${info.master_host}:${info.master_port}`).toBe(m1.addr);
    expect((await viewOf(dev, m1)).find((l) => l.id === extra.id)?.masterId).toBe(m1.id);
    const check = await waitFor(
      'redis-cli check to count two replicas of m1',
      async () => {
        const r = await redisCliCheck(m1.addr, PASSWORD);
        return r.replicasOf[m1.addr] === 2 ? r : undefined;
      },
      20_000,
    );
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [], replicasOfUnknown: [] });
  }, 120_000);

  it("re-checks the replica's own view before REPLICATE: a stale plan for a replica that moved is refused", async () => {
    const [m0, m1, m2] = dev.masters;
    if (!m0 || !m1 || !m2) throw new Error('masters expected');
    const stale = await frozenPoller(config(`move-stale-${flavour}`), 7);
    const extra = stale.latest?.nodes.find(
      (n) => n.role === 'replica' && n.masterId === m1.id && n.host === '127.0.0.3',
    );
    if (!extra) throw new Error('the moved replica expected on m1');
    const decision = stale.latest ? planMoveReplica(stale.latest, extra.id, m2.id) : undefined;
    if (!decision?.ok) throw new Error(decision?.reason ?? 'no snapshot');
    await dev.client(extra).call('CLUSTER', 'REPLICATE', m0.id);
    const job = await jobEnded<MoveReplicaResult>(
      startJob<MoveReplicaResult>('move-replica', `move-stale-${flavour}`, 'test', (h) =>
        runMoveReplica(stale, h, decision.plan),
      ).id,
    );
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(new RegExp(`own view says it replicates ${m0.id}, not ${m1.addr}.*nothing was sent`));
    expect((await viewOf(dev, extra)).find((l) => l.myself)?.masterId).toBe(m0.id);
  }, 60_000);

  it('refuses a master, and a move to the master it already replicates', async () => {
    const [m0] = dev.masters;
    const [r0] = dev.replicas;
    if (!m0 || !r0?.masterId) throw new Error('nodes expected');
    const master = await startMoveReplicaOn(poller, m0.id, r0.masterId, operator).catch((e: unknown) => e);
    expect((master as ApiError).message).toMatch(/is not a replica/);
    const same = await startMoveReplicaOn(poller, r0.id, r0.masterId, operator).catch((e: unknown) => e);
    expect((same as ApiError).message).toMatch(/already replicates/);
    expect((same as ApiError).code).toBe('conflict');
  }, 30_000);
});
