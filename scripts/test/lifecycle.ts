// Node-lifecycle integration tests: join a fresh node by hand (MEET, REPLICATE), read views, wait for a job's end.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Job } from '../../lib/jobs/types';
import { type ClusterNodeLine, parseClusterNodes } from '../../lib/redis/clusterNodes';
import { parseInfo } from '../../lib/redis/info';
import { ClusterPoller } from '../../server/collect/poller';
import type { ResolvedCluster } from '../../server/config/load';
import { getJob } from '../../server/jobs/registry';
import type { DevCluster, DevNode } from '../devcluster/cluster';
import { waitFor } from './helpers';

/** A temp dir with a config the audit log can read (its one cluster is not the one under test). */
export async function auditConfigDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  return dir;
}

export async function viewOf(dev: DevCluster, node: Pick<DevNode, 'host' | 'port'>): Promise<ClusterNodeLine[]> {
  return parseClusterNodes(String(await dev.client(node).call('CLUSTER', 'NODES')));
}

export async function replicationOf(dev: DevCluster, node: DevNode): Promise<Record<string, string>> {
  return parseInfo(String(await dev.client(node).call('INFO', 'replication'))).fields;
}

/** MEET `node` into the cluster through `via`; resolves once every node in `members` lists it out of handshake. */
export async function meetInto(dev: DevCluster, node: DevNode, via: DevNode, members: DevNode[]): Promise<void> {
  await dev.client(node).call('CLUSTER', 'MEET', via.host, String(via.port));
  await waitFor(
    `every member to know ${node.addr}`,
    async () => {
      const views = await Promise.all(members.map((m) => viewOf(dev, m)));
      const known = views.every((v) => v.some((l) => l.id === node.id && !l.flags.includes('handshake')));
      return known ? true : undefined;
    },
    20_000,
  );
}

/** CLUSTER REPLICATE on `node` once it knows the master; resolves when its link is up. */
export async function replicateTo(dev: DevCluster, node: DevNode, masterId: string): Promise<void> {
  await waitFor(
    `${node.addr} to know its master`,
    async () => ((await viewOf(dev, node)).some((l) => l.id === masterId && l.role === 'master') ? true : undefined),
    20_000,
  );
  await dev.client(node).call('CLUSTER', 'REPLICATE', masterId);
  await waitFor(
    `${node.addr}'s link to be up`,
    async () => ((await replicationOf(dev, node)).master_link_status === 'up' ? true : undefined),
    30_000,
  );
}

export function jobEnded<R>(jobId: string, ms = 120_000): Promise<Job<R>> {
  return waitFor(
    `job ${jobId} to end`,
    async () => {
      const job = getJob(jobId) as Job<R> | undefined;
      return job && job.state !== 'running' ? job : undefined;
    },
    ms,
    50,
  );
}

/**
 * A poller that polled until it saw `count` reachable nodes, then stopped: its snapshot stays as it was, the stale view
 * an operation may act on when the cluster changes between its plan (or last poll) and its commands.
 */
export async function frozenPoller(cluster: ResolvedCluster, count: number): Promise<ClusterPoller> {
  const poller = new ClusterPoller(cluster);
  poller.start();
  try {
    await waitFor(
      `${count} nodes polled`,
      async () =>
        poller.latest?.summary.reachable === count && poller.latest.summary.nodes === count ? true : undefined,
      20_000,
    );
  } finally {
    poller.stop();
  }
  return poller;
}
