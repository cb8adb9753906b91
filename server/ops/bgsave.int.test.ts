import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import { evaluateFindings } from '@/lib/findings';
import type { BgsaveResult, Job } from '@/lib/jobs/types';
import { parseInfo } from '@/lib/redis/info';
import { parsePersistence } from '@/lib/redis/persistence';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { fillSlots } from '../../scripts/test/slotData';
import { ApiError } from '../api/errors';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { cancelJob, getJob } from '../jobs/registry';
import { bgsaveStep, startBgsaveOn } from './bgsave';

// Issue 14's acceptance: "BGSAVE every master" ends when every master's last save time advanced (checked with the
// nodes' own INFO); a node whose save fails raises the finding. The failure is real: the node's dump.rdb path is a
// directory, so the save's final rename fails (EISDIR) even for root, where chmod would not stop anything.

const PASSWORD = 'bgsave-int-pw';
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
const viewer: Principal = { kind: 'user', name: 'vera', role: 'viewer' };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bgsave-int-'));
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
});
afterAll(async () => {
  stopPollers();
  await rm(dir, { recursive: true, force: true });
});

describe.each<Flavour>(['redis', 'valkey'])('BGSAVE on %s', (flavour) => {
  let dev: DevCluster;
  let poller: ClusterPoller;

  beforeAll(async () => {
    dev = await startThreeHostCluster({ password: PASSWORD, serverBin: serverBin(flavour) });
    await fillSlots(
      dev,
      Array.from({ length: 16384 }, (_, i) => i),
      () => 2,
    );
    poller = new ClusterPoller(
      resolvedClusterFor(dev, { id: `bgsave-${flavour}`, pollIntervalMs: 250, nodeDeadlineMs: 1000 }),
    );
    poller.start();
    await waitFor('all nodes polled', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 20_000);
  }, 180_000);
  afterAll(async () => {
    poller?.stop();
    await dev?.stop();
  });

  const persistenceOf = async (node: DevNode) => {
    const p = parsePersistence(parseInfo(String(await dev.client(node).call('INFO', 'persistence'))));
    if (!p) throw new Error(`no INFO persistence from ${node.addr}`);
    return p;
  };
  const ended = (jobId: string) =>
    waitFor(
      `bgsave job ${jobId} to end`,
      async () => {
        const job = getJob(jobId) as Job<BgsaveResult> | undefined;
        return job && job.state !== 'running' ? job : undefined;
      },
      60_000,
      50,
    );

  it('the poller reads every node persistence from INFO, and the save points (RDB off here: save "")', async () => {
    await waitFor(
      'persistence and save points in the snapshot',
      async () =>
        poller.latest?.nodes.every(
          (n) => n.info?.persistence?.lastBgsaveStatus === 'ok' && n.clusterConfig?.save === '',
        )
          ? true
          : undefined,
      10_000,
    );
  });

  it('BGSAVE every master ends only once every master has a newer save, by its own INFO', async () => {
    const before = new Map(await Promise.all(dev.masters.map(async (m) => [m.id, await persistenceOf(m)] as const)));
    expect(() => startBgsaveOn(poller, { scope: 'masters' }, viewer)).toThrow(ApiError);
    const { jobId } = startBgsaveOn(poller, { scope: 'masters' }, operator);
    // One per cluster at a time.
    expect(() => startBgsaveOn(poller, { scope: 'all' }, operator)).toThrow(/already running/);
    const job = await ended(jobId);
    expect(job.state, job.error).toBe('succeeded');
    expect(job.result?.nodes.map((n) => n.nodeId).sort()).toEqual(dev.masters.map((m) => m.id).sort());
    for (const master of dev.masters) {
      const now = await persistenceOf(master);
      expect(now.lastSaveTime ?? 0, master.addr).toBeGreaterThan(before.get(master.id)?.lastSaveTime ?? 0);
      expect(now.lastBgsaveStatus).toBe('ok');
      expect(job.result?.nodes.find((n) => n.nodeId === master.id)?.lastSaveAfter).toBe(now.lastSaveTime);
    }
    expect(job.steps.every((s) => s.state === 'done')).toBe(true);
  });

  it('a save already running when the job starts is not counted: the job waits for it to end, then saves again', async () => {
    const master = dev.masters[0];
    if (!master) throw new Error('no master');
    const client = dev.client(master);
    // ~11k keys x 200 µs: a save that runs for about two seconds.
    await client.call('CONFIG', 'SET', 'rdb-key-save-delay', '200');
    try {
      const savesBefore = (await persistenceOf(master)).saves ?? 0;
      await client.call('BGSAVE');
      expect((await persistenceOf(master)).bgsaveInProgress).toBe(true);
      const job = await ended(startBgsaveOn(poller, { scope: 'masters' }, operator).jobId);
      expect(job.state, job.error).toBe('succeeded');
      const after = await persistenceOf(master);
      // The one started by hand, then the job's own.
      expect(after.saves).toBe(savesBefore + 2);
      expect(after.lastBgsaveStatus).toBe('ok');
    } finally {
      await client.call('CONFIG', 'SET', 'rdb-key-save-delay', '0');
    }
  });

  it('cancel stops before the next BGSAVE and stops waiting', async () => {
    await Promise.all(dev.nodes.map((n) => dev.client(n).call('CONFIG', 'SET', 'rdb-key-save-delay', '500')));
    try {
      const { jobId } = startBgsaveOn(poller, { scope: 'all' }, operator);
      await waitFor(
        'a node saving for the job',
        async () => (getJob(jobId)?.steps.some((s) => s.state === 'running') ? true : undefined),
        10_000,
        20,
      );
      cancelJob(jobId);
      const job = await ended(jobId);
      expect(job.state).toBe('cancelled');
      const skipped = job.steps.filter((s) => s.state === 'skipped');
      // Two nodes per host, one at a time per host: the second of each was never asked.
      expect(skipped.length).toBeGreaterThanOrEqual(1);
      expect(skipped.every((s) => s.detail === 'cancelled before BGSAVE was sent')).toBe(true);
    } finally {
      await Promise.all(dev.nodes.map((n) => dev.client(n).call('CONFIG', 'SET', 'rdb-key-save-delay', '0')));
      await waitFor(
        'the saves asked before the cancel to end',
        async () =>
          (await Promise.all(dev.nodes.map(persistenceOf))).every((p) => !p.bgsaveInProgress) ? true : undefined,
        60_000,
      );
    }
  });

  it('a node whose save fails raises the finding, and fails its step naming it; a good save clears it', async () => {
    const broken = dev.masters[1];
    if (!broken) throw new Error('no second master');
    const rdbPath = path.join(broken.process.dir, 'dump.rdb');
    await rm(rdbPath, { force: true });
    await mkdir(path.join(rdbPath, 'in-the-way'), { recursive: true });
    await dev.client(broken).call('BGSAVE');
    await waitFor(
      `${broken.addr} to report the failed save`,
      async () => {
        const p = await persistenceOf(broken);
        return !p.bgsaveInProgress && p.lastBgsaveStatus === 'err' ? true : undefined;
      },
      20_000,
    );
    const finding = await waitFor(
      'the poller to raise rdb_save_failed',
      async () => {
        const snapshot = poller.latest;
        return snapshot ? evaluateFindings(snapshot).find((f) => f.code === 'rdb_save_failed') : undefined;
      },
      10_000,
    );
    expect(finding.severity).toBe('critical');
    expect(finding.nodeIds).toEqual([broken.id]);
    expect(finding.message).toContain(broken.addr);
    await waitFor(
      'the timeline to say the save failed',
      async () =>
        poller.timeline().some((e) => e.kind === 'save_failed' && e.nodeIds.includes(broken.id)) ? true : undefined,
      10_000,
    );

    const failedJob = await ended(startBgsaveOn(poller, { scope: 'all' }, operator).jobId);
    expect(failedJob.state).toBe('failed');
    expect(failedJob.error).toContain(broken.addr);
    const step = failedJob.steps.find((s) => s.name === bgsaveStep(broken.addr));
    expect(step?.state).toBe('failed');
    expect(step?.detail).toMatch(/rdb_last_bgsave_status:err.*log/);
    expect(failedJob.result?.saved).toBe(5);
    expect(failedJob.result?.nodes.find((n) => n.nodeId === broken.id)?.ok).toBe(false);

    await rm(rdbPath, { recursive: true, force: true });
    const repaired = await ended(startBgsaveOn(poller, { scope: 'masters' }, operator).jobId);
    expect(repaired.state, repaired.error).toBe('succeeded');
    expect((await persistenceOf(broken)).lastBgsaveStatus).toBe('ok');
    await waitFor(
      'the finding to clear',
      async () => {
        const snapshot = poller.latest;
        return snapshot && !evaluateFindings(snapshot).some((f) => f.code === 'rdb_save_failed') ? true : undefined;
      },
      10_000,
    );
  });
});
