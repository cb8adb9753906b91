import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { MigrationProgress, ReshardJob } from '@/lib/jobs/types';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { startLossWriter } from '../../scripts/test/lossWriter';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import { fillSlots, keysPerMaster } from '../../scripts/test/slotData';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { getJob, onJobChange } from '../jobs/registry';
import { startReshardOn } from './reshard';

// Issue 11's acceptance: 3 masters, 1M keys x 100 B; 1820 slots (about 111k keys) move from one master to another
// while a writer does at least 2,000 acknowledged writes/s with one new key per write. Nothing lost, the key counts
// add up, redis-cli --cluster check clean. On Redis 7.0 and Valkey 8, one after the other.

const PASSWORD = 'reshard-1m-pw';
const KEYS = 1_000_000;
const SLOTS: [number, number] = [0, 1819];
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'reshard-int-'));
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

describe.each<Flavour>(['redis', 'valkey'])('reshard of 1M keys on %s', (flavour) => {
  let dev: DevCluster;
  let poller: ClusterPoller;

  beforeAll(async () => {
    dev = await startThreeHostCluster({ password: PASSWORD, serverBin: serverBin(flavour) });
    const started = Date.now();
    // 16384 * 61 = 999,424: the first 576 slots get one key more.
    const written = await fillSlots(
      dev,
      Array.from({ length: 16384 }, (_, i) => i),
      (slot) => (slot < 576 ? 62 : 61),
    );
    expect(written).toBe(KEYS);
    console.log(`${flavour}: 1M keys written in ${Date.now() - started} ms`);
    poller = new ClusterPoller(
      resolvedClusterFor(dev, { id: `reshard-${flavour}`, pollIntervalMs: 500, nodeDeadlineMs: 1000 }),
    );
    poller.start();
    await waitFor(
      'all nodes reachable',
      async () => (poller.latest?.summary.reachable === 6 ? true : undefined),
      20_000,
    );
  }, 240_000);
  afterAll(async () => {
    poller?.stop();
    await dev?.stop();
  });

  it('moves 1820 slots under >= 2,000 acknowledged writes/s: 0 lost, counts add up, check clean', async () => {
    const masters = (poller.latest?.nodes ?? [])
      .filter((n) => n.role === 'master')
      .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
    const [a, b] = masters;
    if (!a || !b) throw new Error('no masters');
    const before = await keysPerMaster(dev);
    const client = new Cluster(
      masters.map((m) => ({ host: m.host, port: m.port })),
      { redisOptions: { password: PASSWORD, protocol: 2, disableClientInfo: true }, scaleReads: 'master' },
    );
    client.on('error', () => {});
    const writer = startLossWriter(client, 3000);
    await waitFor('the writer to get going', async () => (writer.ackedCount() >= 500 ? true : undefined), 10_000, 10);
    const progress: MigrationProgress[] = [];
    let job: ReshardJob | undefined;
    const stop = onJobChange((j) => {
      if (j.id === job?.id && j.migration) progress.push(j.migration);
    });
    const ackedAtStart = writer.ackedCount();
    const startedAt = Date.now();
    const { jobId } = await startReshardOn(poller, { target: b.id, slots: [SLOTS], confirm: 'Test cluster' }, operator);
    job = getJob(jobId) as ReshardJob;
    const ended = await waitFor(
      'the reshard to end',
      async () => {
        const j = getJob(jobId) as ReshardJob | undefined;
        return j && j.state !== 'running' ? j : undefined;
      },
      180_000,
      50,
    );
    const moveMs = Date.now() - startedAt;
    // The writer's rate during the move itself (at least a second's worth, for a very fast move).
    await new Promise((r) => setTimeout(r, Math.max(0, 1000 - moveMs)));
    const writesDuring = writer.ackedCount() - ackedAtStart;
    const writeWindowMs = Date.now() - startedAt;
    const report = await writer.stop().finally(() => client.disconnect());
    stop();
    expect(ended.error, JSON.stringify(ended.steps)).toBeUndefined();
    expect(ended.state).toBe('succeeded');
    const result = ended.result;
    console.log(
      `${flavour}: ${result?.slotsMoved} slots, ${result?.keysMoved} keys in ${result?.ms} ms (${result?.keysPerSec} keys/s over the move); writer ${Math.round((writesDuring * 1000) / writeWindowMs)} acknowledged writes/s during it, ${report.acked} in all, ${report.lost} lost, longest stall ${report.longestStallMs} ms`,
    );
    expect(result?.slotsMoved).toBe(1820);
    // 1820 slots: 576 with 62 keys, 1244 with 61, and the writer's new keys there.
    expect(result?.keysMoved).toBeGreaterThanOrEqual(576 * 62 + 1244 * 61);
    expect((writesDuring * 1000) / writeWindowMs).toBeGreaterThanOrEqual(2000);
    expect(report.lostKeys).toEqual([]);
    expect(report.lost).toBe(0);
    // Key counts: every key there was, plus one per acknowledged write (and at most the writes in flight that failed
    // after reaching a node); the moved slots empty on the source and full on the target.
    const after = await keysPerMaster(dev);
    const total = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
    expect(total(before)).toBe(KEYS);
    expect(total(after)).toBeGreaterThanOrEqual(KEYS + report.acked);
    expect(total(after)).toBeLessThanOrEqual(KEYS + report.acked + 64);
    const range = Array.from({ length: SLOTS[1] - SLOTS[0] + 1 }, (_, i) => SLOTS[0] + i);
    const count = async (addr: string) => {
      const node = dev.nodes.find((n) => n.addr === addr);
      if (!node) throw new Error(`no node ${addr}`);
      const pipeline = dev.client(node).pipeline();
      for (const slot of range) pipeline.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot));
      return ((await pipeline.exec()) ?? []).reduce((sum, [, n]) => sum + Number(n), 0);
    };
    expect(await count(a.addr)).toBe(0);
    expect(await count(b.addr)).toBeGreaterThanOrEqual(576 * 62 + 1244 * 61);
    const check = await waitFor(
      'redis-cli --cluster check to agree',
      async () => {
        const r = await redisCliCheck(a.addr, PASSWORD);
        return r.agree ? r : undefined;
      },
      20_000,
      250,
    );
    expect(check.openSlots).toEqual([]);
    expect(check.covered).toBe(true);
    expect(progress.some((p) => p.inFlight.length > 0)).toBe(true);
    expect(progress[progress.length - 1]?.moved).toEqual([SLOTS]);
  }, 300_000);
});
