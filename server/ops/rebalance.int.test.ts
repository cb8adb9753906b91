import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { MigrationJournal } from '@/lib/jobs/journal';
import type { FixJob, ReshardJob, ReshardResult } from '@/lib/jobs/types';
import { planRebalance } from '@/lib/plan/rebalance';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { startLossWriter } from '../../scripts/test/lossWriter';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import { fillSlots, keysPerMaster } from '../../scripts/test/slotData';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { getJob, startJob } from '../jobs/registry';
import { SlotMigrator } from '../migrate/engine';
import { migrationJournal } from '../migrate/journal';
import { saveJob } from '../store/jobs';
import { previewFixOn, startFixOn } from './fix';
import { holdingJob } from './operationGuard';
import { previewRebalanceOn, startDrainOn, startRebalanceOn } from './rebalance';
import { refreshOpenSlots } from './reshardJob';
import { migrationNodes } from './reshardPlan';

// Issue 12's acceptance: an empty 4th master added to a 3-master cluster with 250k keys, rebalanced with "use empty
// masters" under a writer of ~2,000 new keys/s: nothing lost, the key counts add up, redis-cli --cluster check clean.
// Then the same master drained again (its slots back to the others by weight).

const PASSWORD = 'rebalance-int-pw';
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
let dir: string;
let dev: DevCluster;
let poller: ClusterPoller;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rebalance-int-'));
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  dev = await startThreeHostCluster({ password: PASSWORD });
  // 16384 slots: 4,240 slots x 16 keys + the rest x 15 = 250,000 keys.
  const written = await fillSlots(
    dev,
    Array.from({ length: 16384 }, (_, i) => i),
    (slot) => (slot < 4240 ? 16 : 15),
  );
  expect(written).toBe(250_000);
  poller = new ClusterPoller(resolvedClusterFor(dev, { id: 'rebalance', pollIntervalMs: 500, nodeDeadlineMs: 1000 }));
  poller.start();
}, 240_000);
afterAll(async () => {
  poller?.stop();
  stopPollers();
  await dev?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function ended(jobId: string): Promise<ReshardJob> {
  return waitFor(
    `job ${jobId} to end`,
    async () => {
      const job = getJob(jobId) as ReshardJob | undefined;
      return job && job.state !== 'running' ? job : undefined;
    },
    300_000,
    50,
  );
}

async function checkClean(): Promise<void> {
  const seed = dev.nodes[0]?.addr ?? '';
  await waitFor(
    'redis-cli --cluster check to be clean',
    async () => {
      const r = await redisCliCheck(seed, PASSWORD);
      return r.agree && r.covered && r.openSlots.length === 0 ? r : undefined;
    },
    30_000,
    250,
  );
}

describe('rebalance onto an empty 4th master, 250k keys, under a writer', () => {
  it('moves a quarter of the slots to the new master: 0 lost, counts add up, check clean; drain gives them back', async () => {
    const fresh = await dev.startEmptyNode('127.0.0.4');
    const seed = dev.masters[0];
    if (!seed) throw new Error('no master');
    await dev.client(seed).call('CLUSTER', 'MEET', fresh.host, String(fresh.port));
    await waitFor(
      'the new master to know the cluster and every node to list it',
      async () => {
        const snap = await poller.fresh();
        const node = snap.nodes.find((n) => n.id === fresh.id);
        return node?.reachable && node.clusterState === 'ok' && snap.summary.nodes === 7 ? true : undefined;
      },
      30_000,
      200,
    );
    await checkClean();
    const before = await keysPerMaster(dev);
    const total = [...before.values()].reduce((a, b) => a + b, 0);

    // Without "use empty masters" redis-cli's plan leaves the empty master alone: the three are balanced.
    const idle = await previewRebalanceOn(poller, {});
    expect(idle.moves).toEqual([]);
    const preview = await previewRebalanceOn(poller, { useEmptyMasters: true });
    expect(preview.allowed).toBe(true);
    expect(preview.moves.every((m) => m.to === fresh.id)).toBe(true);
    expect(preview.slots).toBe(4096);
    expect(preview.after[fresh.id]?.slots).toBe(4096);
    expect(preview.checks).toContainEqual(
      expect.objectContaining({ name: `replica of ${fresh.addr}`, status: 'warn', value: 'none' }),
    );

    const client = new Cluster(
      dev.masters.map((m) => ({ host: m.host, port: m.port })),
      { redisOptions: { password: PASSWORD, protocol: 2, disableClientInfo: true } },
    );
    client.on('error', () => {});
    const writer = startLossWriter(client, 2000);
    try {
      const { jobId } = await startRebalanceOn(poller, { useEmptyMasters: true, confirm: 'Test cluster' }, operator);
      const job = await ended(jobId);
      expect(job.state, job.error).toBe('succeeded');
      expect(job.kind).toBe('rebalance');
      expect(job.result?.slotsMoved).toBe(4096);
      expect(job.openSlots).toEqual([]);
      await checkClean();
      const owned = (await poller.fresh()).nodes.find((n) => n.id === fresh.id)?.slotCount;
      expect(owned).toBe(4096);

      // Drain it again: its slots go back to the three by weight.
      const drained = await startDrainOn(poller, { nodeId: fresh.id, confirm: fresh.id }, operator);
      const drain = await ended(drained.jobId);
      expect(drain.state, drain.error).toBe('succeeded');
      expect(drain.result?.slotsMoved).toBe(4096);
      // Redis turned the emptied master into a replica (cluster-allow-replica-migration yes): the result says so.
      const role = (await poller.fresh()).nodes.find((n) => n.id === fresh.id)?.role;
      expect(role).toBe('replica');
      expect(drain.result?.notes).toContainEqual(
        expect.stringMatching(/^127\.0\.0\.4:\d+ is now a replica of .*Remove node… will take it out as a replica$/),
      );
      await checkClean();
      expect((await poller.fresh()).nodes.find((n) => n.id === fresh.id)?.slotCount).toBe(0);
    } finally {
      const report = await writer.stop().finally(() => client.disconnect());
      expect(report.lost, report.lostKeys.join(' ')).toBe(0);
      expect(report.acked).toBeGreaterThan(2000);
      const after = await keysPerMaster(dev);
      // The writer's keys come on top of the 250k.
      expect([...after.values()].reduce((a, b) => a + b, 0)).toBe(total + report.acked);
    }
  }, 600_000);
});

describe('balance by keys on a skewed cluster', () => {
  it('ends with every master within the threshold of the mean key count (the slot counts need not be even)', async () => {
    const snapshot = await poller.fresh();
    const masters = snapshot.nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
    expect(masters).toHaveLength(3);
    const heavy = masters[0];
    if (!heavy) throw new Error('no master');
    // 60,000 more keys in 150 slots of one master: it holds ~45% of the keys with a third of the slots.
    const first = heavy.slots[0]?.[0] ?? 0;
    await fillSlots(
      dev,
      Array.from({ length: 150 }, (_, i) => first + i),
      () => 400,
      100,
      'skew',
    );
    const counts = async () => {
      const per = await keysPerMaster(dev);
      // The masters that own slots (the drained one, if it stayed a master, holds none).
      const values = masters.map((m) => per.get(m.addr) ?? 0);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return { per, mean, worst: Math.max(...values.map((v) => Math.abs(v - mean) / mean)) };
    };
    expect((await counts()).worst).toBeGreaterThan(0.1);

    const bySlots = await previewRebalanceOn(poller, {});
    expect(bySlots.moves).toEqual([]);
    const preview = await previewRebalanceOn(poller, { by: 'keys' });
    expect(preview.moves.length).toBeGreaterThan(0);
    expect(preview.moves.every((m) => m.from === heavy.id)).toBe(true);
    const { jobId } = await startRebalanceOn(poller, { by: 'keys', confirm: 'Test cluster' }, operator);
    const job = await ended(jobId);
    expect(job.state, job.error).toBe('succeeded');
    await checkClean();
    const after = await counts();
    // Within redis-cli's default threshold (2 %) of the mean.
    expect(after.worst).toBeLessThanOrEqual(0.02);
  }, 300_000);
});

describe('a rebalance this dashboard stopped mid-move', () => {
  it('is repaired by the fix: the open slots closed as redis-cli would, check clean, every key kept, the lock released', async () => {
    const snapshot = await poller.fresh();
    const masters = snapshot.nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
    const [heavy, light] = masters;
    if (!heavy || !light) throw new Error('no masters');
    const plan = planRebalance({ nodes: snapshot.nodes }, { weights: { [heavy.id]: 3 } });
    const moves = plan.moves.flatMap((m) => m.slots.map((slot) => ({ slot, sourceId: m.from, targetId: m.to })));
    expect(moves.length).toBeGreaterThan(200);
    const before = [...(await keysPerMaster(dev)).values()].reduce((a, b) => a + b, 0);
    // The dashboard dies mid-slot: the engine halted once 40 slots are migrating (nothing more sent or journalled).
    const job = startJob<ReshardResult, { weights: Record<string, number> }>(
      'rebalance',
      poller.cluster.id,
      'otto',
      async (handle) => {
        let migrating = 0;
        let engine: SlotMigrator | undefined;
        const journal: MigrationJournal = {
          append(entry) {
            migrationJournal().append(entry);
            if (entry.phase === 'migrating' && ++migrating === 40) engine?.halt();
          },
          entries: (id) => migrationJournal().entries(id),
        };
        engine = new SlotMigrator({
          jobId: handle.job.id,
          cluster: poller.cluster,
          nodes: migrationNodes(snapshot),
          masterIds: masters.map((m) => m.id),
          journal,
          settings: { window: 16, batchSlots: 8, exclusiveNodes: true },
          meanKeyBytes: 120,
        });
        engine.recordPlan(moves);
        await engine.migrate(moves);
        return { slotsMoved: 0, keysMoved: 0, ms: 0 };
      },
      { weights: { [heavy.id]: 3 } },
      { exclusive: true },
    );
    await ended(job.id);
    // What the store does at the next start for a job the dead process left running.
    const stored = getJob(job.id) as ReshardJob;
    stored.state = 'interrupted';
    await refreshOpenSlots(poller, stored);
    saveJob(stored);
    expect(stored.openSlots?.length).toBeGreaterThan(0);
    expect(holdingJob(poller.cluster.id)?.id).toBe(job.id);

    const preview = await previewFixOn(poller, {});
    expect(preview.allowed).toBe(true);
    const open = new Set(stored.openSlots?.map((s) => s.slot));
    for (const slot of open) expect(preview.actions.map((a) => a.slot)).toContain(slot);
    const planned = new Map(preview.actions.map((a) => [a.slot, a.owner]));
    const fixed = await startFixOn(poller, { confirm: 'Test cluster' }, operator);
    const fix = (await ended(fixed.jobId)) as unknown as FixJob;
    expect(fix.state, fix.error).toBe('succeeded');
    await checkClean();
    expect([...(await keysPerMaster(dev)).values()].reduce((a, b) => a + b, 0)).toBe(before);
    const after = await poller.fresh();
    for (const [slot, ownerId] of planned) {
      const owner = after.nodes.find((n) => n.slots.some(([a, b]) => slot >= a && slot <= b));
      expect(owner?.id, `slot ${slot}`).toBe(ownerId);
    }
    // The stopped rebalance no longer holds the cluster; what it had not started stays for its Resume.
    expect((getJob(job.id) as ReshardJob).openSlots).toEqual([]);
    expect(holdingJob(poller.cluster.id)).toBeUndefined();
  }, 300_000);
});
