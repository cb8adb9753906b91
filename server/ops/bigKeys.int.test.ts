import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BigKeysResult } from '@/lib/jobs/types';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ClusterPoller } from '../collect/poller';
import { cancelJob, getJob, startJob } from '../jobs/registry';
import { scanBigKeys } from './bigKeys';

let dev: DevCluster;
let poller: ClusterPoller;

/** Writes through the node that owns each key (a plain connection per master, following MOVED by hand). */
async function seed() {
  const { Cluster } = await import('ioredis');
  const masters = dev.masters.map((m) => ({ host: m.host, port: m.port }));
  const cluster = new Cluster(masters, { redisOptions: { protocol: 2, disableClientInfo: true } });
  try {
    await cluster.set('big:string', 'x'.repeat(2 * 1024 * 1024));
    for (let i = 0; i < 20; i++)
      await cluster.rpush('big:list', ...Array.from({ length: 2500 }, (_, k) => `item-${i}-${k}`));
    await cluster.hset('big:hash', Object.fromEntries(Array.from({ length: 20_000 }, (_, k) => [`f${k}`, `v${k}`])));
    await cluster.zadd('big:zset', ...Array.from({ length: 5000 }, (_, k) => [k, `m${k}`]).flat());
    const small: Array<Promise<unknown>> = [];
    for (let i = 0; i < 6000; i++) small.push(cluster.set(`small:${i}`, `v${i}`));
    await Promise.all(small);
  } finally {
    cluster.disconnect();
  }
}

beforeAll(async () => {
  dev = await startThreeHostCluster();
  await seed();
  poller = new ClusterPoller(resolvedClusterFor(dev, { latencySampleMs: 0 }));
  poller.start();
  await waitFor(
    'every node polled with its keys',
    async () => {
      const nodes = poller.latest?.nodes ?? [];
      return nodes.length === 6 &&
        nodes.every((n) => n.reachable) &&
        nodes.filter((n) => n.role === 'master').reduce((s, n) => s + (n.info?.keys ?? 0), 0) >= 6004
        ? true
        : undefined;
    },
    20_000,
  );
}, 120_000);
afterAll(async () => {
  poller?.stop();
  await dev?.stop();
});

describe('big-key scan on a real cluster', () => {
  it('finds the seeded big keys in its top N, scanning a replica of each shard', async () => {
    const job = startJob<BigKeysResult>('bigkeys', 'test', 'tester', (h) =>
      scanBigKeys(poller, h, { top: 5, batch: 200, pauseMs: 0 }),
    );
    await waitFor(
      'the scan to finish',
      async () => (getJob(job.id)?.state !== 'running' ? true : undefined),
      60_000,
      100,
    );
    expect(job.state).toBe('succeeded');
    const result = job.result;
    expect(result?.scannedKeys).toBe(6004);
    expect(result?.nodes.every((n) => n.role === 'replica')).toBe(true);
    expect(result?.byMemory[0]).toMatchObject({ key: 'big:string', type: 'string' });
    expect(result?.byMemory.map((k) => k.key)).toEqual(expect.arrayContaining(['big:list', 'big:hash']));
    expect(result?.byElements.slice(0, 3).map((k) => k.key)).toEqual(['big:list', 'big:hash', 'big:zset']);
    expect(result?.byElements[0]?.elements).toBe(50_000);
    expect(job.progress).toMatchObject({ done: 6004, unit: 'keys' });
    expect(job.steps.every((s) => s.state === 'done')).toBe(true);
  });

  it('stops when cancelled', async () => {
    const job = startJob<BigKeysResult>('bigkeys', 'test', 'tester', (h) =>
      scanBigKeys(poller, h, { top: 5, batch: 10, pauseMs: 50 }),
    );
    await waitFor('the scan to start', async () => (job.progress.done > 0 ? true : undefined), 10_000, 20);
    cancelJob(job.id);
    await waitFor('the scan to stop', async () => (job.state !== 'running' ? true : undefined), 10_000, 20);
    expect(job.state).toBe('cancelled');
    const stoppedAt = job.progress.done;
    expect(stoppedAt).toBeLessThan(6004);
    await new Promise((r) => setTimeout(r, 300));
    expect(job.progress.done).toBe(stoppedAt);
  });
});
