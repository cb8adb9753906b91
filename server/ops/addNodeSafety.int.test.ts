import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { AddNodeResult, Job } from '@/lib/jobs/types';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { connectTo } from '../../scripts/devcluster/cluster';
import { type RedisProcess, startRedisProcess, stopRedisProcess } from '../../scripts/devcluster/redisProcess';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ApiError } from '../api/errors';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { getJob } from '../jobs/registry';
import { startAddNodeOn } from './addNode';

// What add-node must refuse or undo beyond redis-cli's emptiness checks: a node open without a password, and a
// node the members cannot reach back (its announced bus port is wrong), which is met and must be taken out again.
const PASSWORD = 'add-node-safety-pw';
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
let dev: DevCluster;
let poller: ClusterPoller;
let dir: string;
const extra: RedisProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'add-node-safety-'));
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  dev = await startThreeHostCluster({ password: PASSWORD, nodeTimeoutMs: 1000, replicasPerMaster: 0 });
  poller = new ClusterPoller(
    resolvedClusterFor(dev, {
      pollIntervalMs: 250,
      nodeDeadlineMs: 500,
      latencySampleMs: 0,
      allowedTargets: ['127.0.0.0/8'],
    }),
  );
  poller.start();
  await waitFor('all nodes reachable', async () => (poller.latest?.summary.reachable === 3 ? true : undefined), 15_000);
}, 120_000);
afterAll(async () => {
  poller?.stop();
  stopPollers();
  await Promise.all(extra.map((p) => stopRedisProcess(p)));
  await dev?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function spare(password: string | undefined, extraConfig: Record<string, string> = {}) {
  const proc = await startRedisProcess({ host: '127.0.0.3', dir, password, nodeTimeoutMs: 1000, extraConfig });
  extra.push(proc);
  return { proc, addr: `${proc.host}:${proc.port}`, client: connectTo(proc.host, proc.port, password) };
}

/** Command names the node has run since its stats were reset, e.g. ["auth", "info", "cluster|myid"]. */
async function commandsRun(client: ReturnType<typeof connectTo>): Promise<string[]> {
  const stats = String(await client.call('INFO', 'commandstats'));
  return [...stats.matchAll(/^cmdstat_([^:]+):/gm)].map((m) => m[1] ?? '').sort();
}
const READS_ONLY = new Set(['auth', 'client|setname', 'info', 'cluster|info', 'cluster|myid', 'config|resetstat']);

describe('add-node safety', () => {
  it('refuses a node that accepts connections without a password, having sent it reads only', async () => {
    const open = await spare(undefined);
    await open.client.call('CONFIG', 'RESETSTAT');
    const refused = await startAddNodeOn(
      poller,
      { addr: open.addr, role: 'replica', confirm: open.addr },
      operator,
    ).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).message).toMatch(/accepts connections without a password/);
    const run = await commandsRun(open.client);
    expect(run.filter((c) => !READS_ONLY.has(c))).toEqual([]);
    expect(run).toContain('cluster|myid');
    open.client.disconnect();
  }, 60_000);

  it('takes a node the members cannot reach back out again: reset, and listed by no member', async () => {
    const deaf = await spare(PASSWORD, { 'cluster-announce-bus-port': '1' });
    const { jobId } = await startAddNodeOn(poller, { addr: deaf.addr, role: 'master', confirm: deaf.addr }, operator);
    const job = await waitFor(
      'the add-node job to end',
      async () => {
        const j = getJob(jobId) as Job<AddNodeResult> | undefined;
        return j && j.state !== 'running' ? j : undefined;
      },
      60_000,
    );
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/undone: .* reset and forgotten/);
    const id = String(await deaf.client.call('CLUSTER', 'MYID'));
    const own = parseClusterNodes(String(await deaf.client.call('CLUSTER', 'NODES')));
    expect(own.map((l) => l.id)).toEqual([id]);
    for (const node of dev.nodes) {
      const view = parseClusterNodes(String(await dev.client(node).call('CLUSTER', 'NODES')));
      expect(view.some((l) => l.id === id)).toBe(false);
    }
    deaf.client.disconnect();
  }, 90_000);
});
