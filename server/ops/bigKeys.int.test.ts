import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BigKeysResult } from '@/lib/jobs/types';
import { parseInfo } from '@/lib/redis/info';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ClusterPoller } from '../collect/poller';
import { cancelJob, getJob, startJob } from '../jobs/registry';
import { scanBigKeys, scanTargets } from './bigKeys';

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

/** The dev nodes a whole-cluster scan reads (a replica per shard). */
function scanned(): DevNode[] {
  return scanTargets(poller).map((t) => {
    const node = dev.nodes.find((n) => n.addr === t.addr);
    if (!node) throw new Error(`${t.addr} is not a dev node`);
    return node;
  });
}

/** The dashboard's connections on a node whose last command is one the scan sends (the poller sends none of them). */
const SCAN_COMMAND = /\bcmd=(scan|memory\|usage|type|strlen|llen|hlen|scard|zcard|xlen|exists|readonly)\b/;
async function scanConnections(node: DevNode): Promise<number> {
  const list = String(await dev.client(node).call('CLIENT', 'LIST')).split('\n');
  return list.filter((line) => line.includes('name=cluster-dashboard') && SCAN_COMMAND.test(line)).length;
}

/** SCAN calls each node has served (INFO commandstats). */
async function scanCalls(nodes: DevNode[]): Promise<number[]> {
  return Promise.all(
    nodes.map(async (node) => {
      const stats = parseInfo(String(await dev.client(node).call('INFO', 'commandstats'))).fields;
      return Number(/calls=(\d+)/.exec(stats.cmdstat_scan ?? '')?.[1] ?? 0);
    }),
  );
}

/** Every node's part has stopped: no scan connection left anywhere, and no SCAN served over two more polls. */
async function expectEveryPartStopped(nodes: DevNode[]): Promise<void> {
  await waitFor(
    'no scan connection left on any node',
    async () => ((await Promise.all(nodes.map(scanConnections))).every((n) => n === 0) ? true : undefined),
    2000,
    20,
  );
  const calls = await scanCalls(nodes);
  const polls = poller.polls;
  await waitFor('two more polls', async () => (poller.polls >= polls + 2 ? true : undefined), 10_000, 20);
  expect(await scanCalls(nodes)).toEqual(calls);
}

/** A slow scan (small batches, a pause after each) with every node's part under way. */
async function slowScan() {
  const nodes = scanned();
  const job = startJob<BigKeysResult>('bigkeys', 'test', 'tester', (h) =>
    scanBigKeys(poller, h, { top: 5, batch: 10, pauseMs: 50 }),
  );
  await waitFor(
    'every node to be scanned',
    async () => ((await Promise.all(nodes.map(scanConnections))).every((n) => n === 1) ? true : undefined),
    10_000,
    20,
  );
  return { job, nodes };
}

beforeAll(async () => {
  dev = await startThreeHostCluster();
  await seed();
  poller = new ClusterPoller(resolvedClusterFor(dev, { latencySampleMs: 0 }));
  poller.start();
  // The scan reads replicas: wait until they hold every key too (on a loaded machine a replica can still be loading
  // the seeded big keys when the masters already count them all).
  const keysOf = (role: string) =>
    (poller.latest?.nodes ?? []).filter((n) => n.role === role).reduce((s, n) => s + (n.info?.keys ?? 0), 0);
  await waitFor(
    'every node polled with its keys, the replicas caught up',
    async () => {
      const nodes = poller.latest?.nodes ?? [];
      return nodes.length === 6 &&
        nodes.every((n) => n.reachable) &&
        keysOf('master') >= 6004 &&
        keysOf('replica') >= 6004
        ? true
        : undefined;
    },
    30_000,
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
    expect(result).toMatchObject({ complete: true, skippedShards: [] });
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

  it('stops every node’s part when cancelled: their connections close and SCAN calls stop', async () => {
    const { job, nodes } = await slowScan();
    cancelJob(job.id);
    await waitFor('the scan to stop', async () => (job.state !== 'running' ? true : undefined), 10_000, 20);
    expect(job.state).toBe('cancelled');
    expect(job.steps.map((s) => s.state)).toEqual(['skipped', 'skipped', 'skipped']);
    await expectEveryPartStopped(nodes);
  });

  it('stops every other node’s part when one node’s part fails, before the job ends failed', async () => {
    const { job, nodes } = await slowScan();
    const [refusing] = nodes;
    if (!refusing) throw new Error('no node scanned');
    // SCAN refused on one node from now on: its part fails at its next batch.
    await dev.client(refusing).call('ACL', 'SETUSER', 'default', '-scan');
    try {
      await waitFor('the scan to end', async () => (job.state !== 'running' ? true : undefined), 10_000, 20);
      expect(job.state).toBe('failed');
      expect(job.error).toContain(`scan of ${refusing.addr} failed`);
      expect(job.steps.filter((s) => s.state === 'failed').map((s) => s.name)).toEqual([
        `scan ${refusing.addr} (replica)`,
      ]);
      expect(job.steps.filter((s) => s.state === 'skipped')).toHaveLength(2);
      await expectEveryPartStopped(nodes);
    } finally {
      await dev.client(refusing).call('ACL', 'SETUSER', 'default', '+scan');
    }
  });
});
