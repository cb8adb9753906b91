import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { MigrationJournal } from '@/lib/jobs/journal';
import type { ReshardJob, ReshardRequest, ReshardResult } from '@/lib/jobs/types';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { startLossWriter } from '../../scripts/test/lossWriter';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import { fillSlots, slotKey, slotValue } from '../../scripts/test/slotData';
import { ApiError } from '../api/errors';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { cancelJob, getJob, startJob } from '../jobs/registry';
import { MigrationConnections } from '../migrate/connections';
import { SlotMigrator } from '../migrate/engine';
import { migrationJournal } from '../migrate/journal';
import { openSlotsOf } from '../migrate/openSlots';
import { saveJob } from '../store/jobs';
import { startReshardOn } from './reshard';
import { migrationNodes, reshardPreview } from './reshardPlan';
import { continueReshardOn } from './resumeReshard';

// The reshard job as the API runs it: the preview, pre-flight refusals, a conflicting key, cancel, and resume / roll
// back of a job the dashboard lost mid-slot (the crash simulated by halting the engine: nothing more is sent).

const PASSWORD = 'reshard-job-pw';
const KEYS_PER_SLOT = 10;
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
const range = (start: number, end: number) => Array.from({ length: end - start + 1 }, (_, i) => start + i);
let dir: string;
let dev: DevCluster;
let poller: ClusterPoller;
let A: DevNode;
let B: DevNode;

const devNode = (id: string) => {
  const node = dev.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no dev node ${id}`);
  return node;
};

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'reshard-job-int-'));
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  dev = await startThreeHostCluster({ password: PASSWORD });
  await fillSlots(dev, range(0, 5460), () => KEYS_PER_SLOT);
  poller = new ClusterPoller(resolvedClusterFor(dev, { id: 'reshard-job', pollIntervalMs: 250, nodeDeadlineMs: 1000 }));
  poller.start();
  await waitFor('all nodes reachable', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 20_000);
  const masters = (poller.latest?.nodes ?? [])
    .filter((n) => n.role === 'master')
    .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
  A = devNode(masters[0]?.id ?? '');
  B = devNode(masters[1]?.id ?? '');
}, 120_000);
afterAll(async () => {
  poller?.stop();
  stopPollers();
  await dev?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function ended(jobId: string, timeoutMs = 60_000): Promise<ReshardJob> {
  return waitFor(
    'the reshard to end',
    async () => {
      const job = getJob(jobId) as ReshardJob | undefined;
      return job && job.state !== 'running' ? job : undefined;
    },
    timeoutMs,
    20,
  );
}

async function checkClean() {
  const report = await waitFor(
    'redis-cli --cluster check to agree',
    async () => {
      const r = await redisCliCheck(A.addr, PASSWORD);
      return r.agree ? r : undefined;
    },
    20_000,
    250,
  );
  expect(report.openSlots).toEqual([]);
  expect(report.covered).toBe(true);
}

/** The poller has seen the latest ownership (the pre-flight reads its snapshot). */
async function pollerSettled() {
  const before = poller.polls;
  await waitFor('two fresh polls', async () => (poller.polls >= before + 2 ? true : undefined), 10_000, 20);
  await waitFor(
    'no open slot in the snapshot',
    async () => (poller.latest?.nodes.every((n) => !n.migrating.length && !n.importing.length) ? true : undefined),
    10_000,
    50,
  );
}

async function owner(slot: number): Promise<string | undefined> {
  const lines = parseClusterNodes(await dev.clusterNodes(A));
  return lines.find((l) => l.role === 'master' && l.slots.some(([s, e]) => slot >= s && slot <= e))?.id;
}

describe('the reshard job', () => {
  it('previews a 50 MB sorted set in the range by name, then moves it', async () => {
    const slot = 10;
    const zkey = slotKey(slot, 0, 'big');
    const a = dev.client(A);
    for (let i = 0; i < 100; i++) {
      const members: string[] = [];
      for (let j = 0; j < 5000; j++) members.push(String(i * 5000 + j), `member:${i * 5000 + j}:with-some-padding`);
      await a.zadd(zkey, ...members);
    }
    const size = Number(await a.call('MEMORY', 'USAGE', zkey));
    expect(size).toBeGreaterThan(50 * 1024 * 1024);
    const request: ReshardRequest = { target: B.id, slots: [[0, 99]] };
    const preview = await reshardPreview(poller, request);
    expect(preview.allowed).toBe(true);
    expect(preview.slots).toBe(100);
    expect(preview.keys).toBe(100 * KEYS_PER_SLOT + 1);
    expect(preview.bytes).toBeGreaterThan(size);
    const [source] = preview.sources;
    expect(source?.nodeId).toBe(A.id);
    expect(source?.slots).toEqual([[0, 99]]);
    expect(source?.bigKeys[0]).toMatchObject({ key: zkey, slot, type: 'zset', big: true });
    expect(preview.checks.find((c) => c.name.startsWith('no key over'))).toMatchObject({ status: 'warn' });
    expect(preview.checks.find((c) => c.name.startsWith('no key over'))?.value).toContain(zkey);
    expect(preview.atomic.available).toBe(false);
    // Failing checks first: none here; warnings before passes.
    const order = preview.checks.map((c) => c.status);
    expect(order).toEqual(
      [...order].sort((x, y) => ['fail', 'warn', 'pass'].indexOf(x) - ['fail', 'warn', 'pass'].indexOf(y)),
    );

    const { jobId } = await startReshardOn(poller, { ...request, confirm: 'Test cluster' }, operator);
    const job = await ended(jobId, 120_000);
    expect(job.error, JSON.stringify(job.steps)).toBeUndefined();
    expect(job.result?.slotsMoved).toBe(100);
    expect(job.result?.keysMoved).toBe(100 * KEYS_PER_SLOT + 1);
    expect(job.result?.bytesMoved).toBeGreaterThan(size);
    expect(job.steps.map((s) => [s.name, s.state])).toEqual([
      ['pre-flight', 'done'],
      ['move slots', 'done'],
      ['every node agrees', 'done'],
    ]);
    expect(await dev.client(B).zcard(zkey)).toBe(500_000);
    await checkClean();
    const audit = await readFile(path.join(dir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"cluster.reshard.result"');
  }, 180_000);

  it('stops naming a key the target holds with another value (slot left closed); with "replace" it completes', async () => {
    await pollerSettled();
    const slot = 150;
    const key = slotKey(slot, 3);
    const b = dev.client(B);
    await b.call('CLUSTER', 'SETSLOT', String(slot), 'IMPORTING', A.id);
    await b.pipeline().call('ASKING').set(key, 'the target has another value').exec();
    await b.call('CLUSTER', 'SETSLOT', String(slot), 'STABLE');
    const request: ReshardRequest = { target: B.id, slots: [[100, 199]] };
    const preview = await reshardPreview(poller, request);
    expect(preview.checks.find((c) => c.name === 'no keys on the target in these slots')).toMatchObject({
      status: 'warn',
      value: '1 key(s) in 1 slot(s)',
    });
    const { jobId } = await startReshardOn(poller, { ...request, confirm: 'Test cluster' }, operator);
    const failed = await ended(jobId);
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain(`key "${key}" in slot ${slot}`);
    expect(failed.openSlots).toEqual([]);
    expect(await dev.client(A).get(key)).toBe(slotValue(slot, 3));
    expect(await owner(slot)).toBe(A.id);
    expect(
      migrationJournal()
        .entries(jobId)
        .filter((e) => e.slot === slot)
        .map((e) => e.phase),
    ).toEqual(['planned', 'sending', 'failed']);
    await checkClean();

    await pollerSettled();
    const { jobId: again } = await startReshardOn(
      poller,
      { ...request, options: { replace: true }, confirm: 'Test cluster' },
      operator,
    );
    const done = await ended(again);
    expect(done.error).toBeUndefined();
    expect(await dev.client(B).get(key)).toBe(slotValue(slot, 3));
    expect(await owner(slot)).toBe(B.id);
    await checkClean();
  }, 120_000);

  it('refuses a second operation on the cluster with 409 naming the job; cancel leaves no slot open', async () => {
    await pollerSettled();
    const request: ReshardRequest = { target: B.id, slots: [[200, 999]], options: { throttleKeysPerSec: 1000 } };
    const { jobId } = await startReshardOn(poller, { ...request, confirm: 'Test cluster' }, operator);
    const refusal = await startReshardOn(
      poller,
      { target: B.id, slots: [[1000, 1001]], confirm: 'Test cluster' },
      operator,
    ).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ApiError);
    expect((refusal as ApiError).status).toBe(409);
    expect((refusal as ApiError).message).toContain(`reshard job ${jobId} started by otto`);
    const preview = await reshardPreview(poller, { target: B.id, slots: [[1000, 1001]] });
    expect(preview.allowed).toBe(false);
    expect(preview.checks[0]).toMatchObject({ name: 'no other operation on this cluster', status: 'fail' });

    await waitFor(
      'a few slots to move',
      async () => ((getJob(jobId)?.migration?.slotsDone ?? 0) >= 5 ? true : undefined),
      30_000,
      20,
    );
    expect(getJob(jobId)?.migration?.keysPerSec).toBeLessThan(2000);
    cancelJob(jobId);
    const job = await ended(jobId);
    expect(job.state).toBe('cancelled');
    expect(job.result?.slotsMoved).toBeGreaterThanOrEqual(5);
    expect(job.result?.slotsMoved).toBeLessThan(800);
    expect(job.openSlots).toEqual([]);
    expect(job.migration?.inFlight).toEqual([]);
    await checkClean();
  }, 120_000);

  for (const how of ['resume', 'rollback'] as const) {
    it(`${how === 'resume' ? 'resumes' : 'rolls back'} an interrupted reshard from its journal and the nodes: 0 lost, check clean`, async () => {
      await pollerSettled();
      const slots = how === 'resume' ? range(2000, 2399) : range(3000, 3399);
      const request: ReshardRequest = { target: B.id, slots: [[slots[0] ?? 0, slots[slots.length - 1] ?? 0]] };
      const snapshot = poller.latest;
      if (!snapshot) throw new Error('no snapshot');
      // The dashboard dies mid-slot: the engine is halted once 40 slots are migrating (nothing more is sent,
      // nothing more journalled), and the store marks the job interrupted at the next start.
      const job = startJob<ReshardResult, ReshardRequest>(
        'reshard',
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
            masterIds: snapshot.nodes.filter((n) => n.role === 'master').map((n) => n.id),
            journal,
            settings: { window: 16, batchSlots: 8 },
          });
          const moves = slots.map((slot) => ({ slot, sourceId: A.id, targetId: B.id }));
          engine.recordPlan(moves);
          await engine.migrate(moves);
          return { slotsMoved: 0, keysMoved: 0, ms: 0 };
        },
        request,
      );
      await ended(job.id);
      const client = new Cluster([{ host: A.host, port: A.port }], {
        redisOptions: { password: PASSWORD, protocol: 2, disableClientInfo: true },
      });
      client.on('error', () => {});
      const writer = startLossWriter(client, 2000);
      await new Promise((r) => setTimeout(r, 1000));
      const stored = getJob(job.id) as ReshardJob;
      stored.state = 'interrupted';
      const conns = new MigrationConnections(poller.cluster, migrationNodes(snapshot));
      stored.openSlots = await openSlotsOf(conns, migrationJournal().entries(job.id));
      conns.close();
      // What the store does at the next start for a job the dead process left running.
      saveJob(stored);
      expect(stored.openSlots.length).toBeGreaterThan(0);
      for (const open of stored.openSlots) expect(slots).toContain(open.slot);
      expect(stored.openSlots.some((s) => (s.keysLeft ?? 0) > 0 || s.phase !== 'migrating')).toBe(true);

      // Another reshard waits for this one to be resumed or rolled back.
      const refusal = await startReshardOn(
        poller,
        { target: B.id, slots: [[5000, 5001]], confirm: 'Test cluster' },
        operator,
      ).catch((e: unknown) => e);
      expect((refusal as ApiError).status).toBe(409);
      expect((refusal as ApiError).message).toContain('resume or roll it back first');

      const open = stored.openSlots.map((s) => s.slot);
      expect(continueReshardOn(poller, job.id, how, operator)).toEqual({ jobId: job.id });
      const after = await ended(job.id, 120_000);
      const report = await writer.stop().finally(() => client.disconnect());
      expect(after.error, JSON.stringify(after.steps)).toBeUndefined();
      expect(after.state).toBe('succeeded');
      expect(after.openSlots).toEqual([]);
      expect(report.lost).toBe(0);
      expect(report.acked).toBeGreaterThan(1000);
      if (how === 'resume') {
        for (const slot of [slots[0] ?? 0, ...open, slots[slots.length - 1] ?? 0]) expect(await owner(slot)).toBe(B.id);
        expect(after.steps.map((s) => s.name)).toContain('resume: finish open slots, then the rest');
      } else {
        expect(after.result?.slotsReturned).toBeGreaterThanOrEqual(open.length);
        for (const slot of open) expect(await owner(slot)).toBe(A.id);
        expect(await owner(slots[slots.length - 1] ?? 0)).toBe(A.id);
      }
      await checkClean();
    }, 180_000);
  }
});
