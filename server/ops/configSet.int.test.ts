import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import { configUnavailable } from '@/lib/cluster/configCommand';
import type { ConfigSetResult, FailoverResult, Job } from '@/lib/jobs/types';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { getJob } from '../jobs/registry';
import { configDiffOn } from './configDiff';
import { startConfigSetOn } from './configSet';
import { planOn, startFailoverOn } from './startFailover';

// The seed's hardening template: CONFIG renamed per port, FLUSHALL and FLUSHDB disabled.
const HARDENED = { CONFIG: 'CONFIG_{port}', FLUSHALL: '', FLUSHDB: '' };
const PASSWORD = 'config-set-test-pw';
const admin: Principal = { kind: 'user', name: 'ada', role: 'admin' };
const who = { user: 'ada', role: 'admin' };
const POLLING = { pollIntervalMs: 250, nodeDeadlineMs: 500, latencySampleMs: 0 };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'config-set-int-'));
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

async function ended<R>(jobId: string): Promise<Job<R>> {
  return waitFor(
    'the job to end',
    async () => {
      const job = getJob(jobId) as Job<R> | undefined;
      return job && job.state !== 'running' ? job : undefined;
    },
    60_000,
    50,
  );
}

const reachable = (poller: ClusterPoller, count: number) =>
  waitFor(
    `${count} reachable nodes`,
    async () => (poller.latest?.summary.reachable === count ? true : undefined),
    20_000,
  );

describe.each<Flavour>(['redis', 'valkey'])('config across nodes with CONFIG renamed per port (%s)', (flavour) => {
  let dev: DevCluster;
  let poller: ClusterPoller;
  /** CONFIG_<port> GET name on a node, straight from the node. */
  const valueOn = async (node: DevNode, name: string) =>
    ((await dev.client(node).call(`CONFIG_${node.port}`, 'GET', name)) as string[])[1];

  beforeAll(async () => {
    dev = await startThreeHostCluster({
      password: PASSWORD,
      serverBin: serverBin(flavour),
      renameCommands: HARDENED,
    });
    poller = new ClusterPoller(
      resolvedClusterFor(dev, { ...POLLING, id: `hardened-${flavour}`, commandRenames: HARDENED }),
    );
    poller.start();
    await reachable(poller, 6);
  }, 180_000);
  afterAll(async () => {
    poller?.stop();
    await dev?.stop();
  });

  it('polls every node and reads cluster-* through CONFIG_<port>; nothing refused', async () => {
    const snapshot = await waitFor(
      'cluster-node-timeout read on every node',
      async () => {
        const s = poller.latest;
        return s?.nodes.length === 6 && s.nodes.every((n) => n.clusterConfig?.['cluster-node-timeout'] === '2000')
          ? s
          : undefined;
      },
      20_000,
    );
    expect(snapshot.summary.reachable).toBe(6);
    expect(snapshot.nodes.flatMap((n) => n.refused ?? [])).toEqual([]);
  });

  it('diffs CONFIG GET * across nodes, by role, with no secret in the answer', async () => {
    const [odd] = dev.nodes;
    if (!odd) throw new Error('no node');
    await dev.client(odd).call(`CONFIG_${odd.port}`, 'SET', 'maxmemory-samples', '7');
    const diff = await configDiffOn(poller);
    expect(diff.read).toBe(6);
    expect(diff.unreadable).toEqual([]);
    const samples = diff.params.find((p) => p.name === 'maxmemory-samples');
    const all = [...(samples?.masters ?? []), ...(samples?.replicas ?? [])];
    expect(all.find((v) => v.value === '7')?.nodes.map((n) => n.addr)).toEqual([odd.addr]);
    expect(all.filter((v) => v.value === '5').flatMap((v) => v.nodes)).toHaveLength(5);
    expect(JSON.stringify(diff)).not.toContain(PASSWORD);
  });

  it('sets on every node with CONFIG REWRITE, and the failover pre-checks read the new cluster-node-timeout', async () => {
    const params = { 'maxmemory-samples': '6', 'cluster-node-timeout': '3000' };
    const { jobId } = await startConfigSetOn(poller, { params, rewrite: true }, who);
    const job = await ended<ConfigSetResult>(jobId);
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.result?.nodes).toHaveLength(6);
    expect(job.result?.nodes.every((n) => n.rewritten === true)).toBe(true);
    for (const node of dev.nodes) {
      expect(await valueOn(node, 'maxmemory-samples')).toBe('6');
      expect(await valueOn(node, 'cluster-node-timeout')).toBe('3000');
      expect(await readFile(path.join(node.process.dir, 'redis.conf'), 'utf8')).toMatch(/^maxmemory-samples 6$/m);
    }
    const replica = await waitFor(
      'the poll to read the new timeout',
      async () => {
        const nodes = poller.latest?.nodes ?? [];
        return nodes.every((n) => n.clusterConfig?.['cluster-node-timeout'] === '3000')
          ? nodes.find((n) => n.role === 'replica')
          : undefined;
      },
      20_000,
    );
    const plan = await waitFor(
      'the pre-checks to allow a failover',
      async () => {
        const p = planOn(poller, { replicaId: replica.id });
        return p.allowed ? p : undefined;
      },
      20_000,
    );
    expect(plan.checks.every((c) => c.status !== 'fail')).toBe(true);
    const failover = startFailoverOn(poller, { replicaId: replica.id, mode: 'default', confirm: replica.id }, admin);
    const done = await ended<FailoverResult>(failover.jobId);
    expect(done.error).toBeUndefined();
    expect(done.state).toBe('succeeded');
  }, 90_000);

  it('rolls back every node it changed when one node refuses, naming the node and its error', async () => {
    await reachable(poller, 6);
    // The nodes' own ACL: the dashboard's user may read CONFIG on this node but not set it (the last one set).
    const refusing = [...(poller.latest?.nodes ?? [])]
      .filter((n) => n.role === 'replica')
      .sort((a, b) => a.addr.localeCompare(b.addr))
      .at(-1);
    const node = dev.nodes.find((n) => n.id === refusing?.id);
    if (!node) throw new Error('no replica');
    await dev.client(node).call('ACL', 'SETUSER', 'default', '-config|set');
    try {
      const { jobId } = await startConfigSetOn(poller, { params: { 'maxmemory-samples': '9' }, rewrite: false }, who);
      const job = await ended<ConfigSetResult>(jobId);
      expect(job.state).toBe('failed');
      expect(job.error).toContain(`${node.addr} refused: NOPERM`);
      expect(job.error).toMatch(/rolled back (\S+, ){4}\S+$/);
      expect(job.steps.find((s) => s.name.includes(node.addr))?.state).toBe('failed');
      for (const each of dev.nodes) expect(await valueOn(each, 'maxmemory-samples'), each.addr).toBe('6');
    } finally {
      await dev.client(node).call('ACL', 'SETUSER', 'default', '+config|set');
    }
  }, 60_000);

  it('names nodes whose CONFIG is unknown (renamed, not configured) or disabled, never down; set refuses them', async () => {
    for (const [id, commandRenames, expected] of [
      ['plain', {}, 'unknown'],
      ['disabled', { CONFIG: '' }, 'disabled'],
    ] as const) {
      const other = new ClusterPoller(resolvedClusterFor(dev, { ...POLLING, id: `${id}-${flavour}`, commandRenames }));
      other.start();
      try {
        const snapshot = await waitFor(
          `every node's CONFIG named ${expected}`,
          async () => {
            const s = other.latest;
            return s?.nodes.length === 6 && s.nodes.every((n) => configUnavailable(n) === expected) ? s : undefined;
          },
          20_000,
        );
        expect(snapshot.summary.reachable).toBe(6);
        expect(snapshot.nodes.every((n) => n.reachable && !n.error)).toBe(true);
        const diff = await configDiffOn(other);
        expect(diff.read).toBe(0);
        expect(diff.unreadable.map((u) => u.command)).toEqual(Array(6).fill(expected));
        await expect(
          startConfigSetOn(other, { params: { 'maxmemory-samples': '8' }, rewrite: false }, who),
        ).rejects.toThrow(/every node must take the value; cannot read .*CONFIG/);
      } finally {
        other.stop();
      }
    }
    for (const node of dev.nodes) expect(await valueOn(node, 'maxmemory-samples')).toBe('6');
  }, 60_000);
});
