import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BigKeysResult } from '@/lib/jobs/types';
import { type DevCluster, startDevCluster } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, THREE_HOSTS, waitFor } from '../../scripts/test/helpers';
import { ClusterPoller } from '../collect/poller';
import { getJob, startJob } from '../jobs/registry';
import { scanBigKeys } from './bigKeys';

// Six shards without replicas: the scan reads six masters at once, each part pausing between batches on one signal.
const SHARDS = 6;
let dev: DevCluster;
let poller: ClusterPoller;

beforeAll(async () => {
  dev = await startDevCluster({ masters: SHARDS, replicasPerMaster: 0, hosts: THREE_HOSTS });
  const { Cluster } = await import('ioredis');
  const cluster = new Cluster(
    dev.masters.map((m) => ({ host: m.host, port: m.port })),
    { redisOptions: { protocol: 2, disableClientInfo: true } },
  );
  try {
    await Promise.all(Array.from({ length: 3000 }, (_, i) => cluster.set(`k:${i}`, `v${i}`)));
  } finally {
    cluster.disconnect();
  }
  poller = new ClusterPoller(resolvedClusterFor(dev, { latencySampleMs: 0 }));
  poller.start();
  await waitFor(
    'every shard polled with its keys',
    async () => {
      const nodes = poller.latest?.nodes ?? [];
      return nodes.length === SHARDS && nodes.every((n) => n.reachable && (n.info?.keys ?? 0) > 0) ? true : undefined;
    },
    30_000,
  );
}, 120_000);
afterAll(async () => {
  poller?.stop();
  await dev?.stop();
});

describe('a big-key scan of many shards', () => {
  it('leaves no MaxListenersExceededWarning: its parts share one abort listener', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const job = startJob<BigKeysResult>('bigkeys', 'test', 'tester', (h) =>
        scanBigKeys(poller, h, { top: 5, batch: 20, pauseMs: 20 }),
      );
      await waitFor('the scan to end', async () => (getJob(job.id)?.state !== 'running' ? true : undefined), 60_000);
      expect(job.state).toBe('succeeded');
      expect(job.result?.nodes).toHaveLength(SHARDS);
      expect(job.result?.scannedKeys).toBe(3000);
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
  });
});
