import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { Job } from '@/lib/jobs/types';
import { keyHashSlot } from '@/lib/redis/crc16';
import { rangeContains } from '@/lib/redis/slots';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ApiError } from '../api/errors';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { getJob } from '../jobs/registry';
import { planOn, startFailoverOn } from './startFailover';

const PASSWORD = 'failover-test-pw';
const admin: Principal = { kind: 'user', name: 'ann', role: 'admin' };
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
let dev: DevCluster;
let poller: ClusterPoller;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'failover-int-'));
  // The audit log needs a config; its one cluster is not the one under test.
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  dev = await startThreeHostCluster({ password: PASSWORD, nodeTimeoutMs: 1000 });
  poller = new ClusterPoller(resolvedClusterFor(dev, { pollIntervalMs: 250, nodeDeadlineMs: 500, latencySampleMs: 0 }));
  poller.start();
  await waitFor('all nodes reachable', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 15_000);
}, 120_000);
afterAll(async () => {
  poller?.stop();
  stopPollers();
  await dev?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function finished(jobId: string): Promise<Job> {
  return waitFor(
    'the failover job to end',
    async () => {
      const job = getJob(jobId);
      return job && job.state !== 'running' ? job : undefined;
    },
    60_000,
    50,
  );
}

/** The master of a shard now (roles change as the test fails over), and its one replica. */
function shard(index: number) {
  const masters = (poller.latest?.nodes ?? [])
    .filter((n) => n.role === 'master' && n.slotCount > 0)
    .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
  const master = masters[index];
  const replica = poller.latest?.nodes.find((n) => n.role === 'replica' && n.masterId === master?.id);
  if (!master || !replica) throw new Error(`shard ${index} has no master/replica pair`);
  return { master, replica };
}

function tagIn(slots: Array<[number, number]>): string {
  for (let i = 0; ; i++) if (rangeContains(slots, keyHashSlot(`{f${i}}`))) return `{f${i}}`;
}

/** Writes as fast as 64 in flight allow to 500 keys of one shard; keeps the last acknowledged value of each. */
function startWriter(client: Cluster, tag: string) {
  const acked = new Map<string, number>();
  let seq = 0;
  let inFlight = 0;
  let stopped = false;
  let lastAck = Date.now();
  let longestStallMs = 0;
  let ackCount = 0;
  const startedAt = Date.now();
  const pump = () => {
    while (!stopped && inFlight < 64) {
      const n = ++seq;
      const key = `${tag}:${n % 500}`;
      inFlight++;
      client
        .set(key, String(n))
        .then(() => {
          const now = Date.now();
          longestStallMs = Math.max(longestStallMs, now - lastAck);
          lastAck = now;
          ackCount++;
          if ((acked.get(key) ?? 0) < n) acked.set(key, n);
        })
        .catch(() => {})
        .finally(() => {
          inFlight--;
          setImmediate(pump);
        });
    }
  };
  pump();
  return {
    acked,
    stop: async () => {
      stopped = true;
      await waitFor('writes in flight to settle', async () => (inFlight === 0 ? true : undefined), 30_000, 10);
      return { longestStallMs, rate: ackCount / ((Date.now() - startedAt) / 1000) };
    },
  };
}

describe('guided failover on a real cluster under write load', () => {
  it('loses no acknowledged write in 10 default-mode failovers', async () => {
    const client = new Cluster(
      dev.masters.map((m) => ({ host: m.host, port: m.port })),
      {
        redisOptions: { password: PASSWORD, protocol: 2, disableClientInfo: true },
        retryDelayOnFailover: 50,
        retryDelayOnClusterDown: 50,
        retryDelayOnTryAgain: 50,
        maxRedirections: 64,
        scaleReads: 'master',
      },
    );
    const stalls: number[] = [];
    const rates: number[] = [];
    try {
      for (let round = 0; round < 10; round++) {
        const { master, replica } = shard(round % 3);
        // The pre-checks hold a shard back for 4 x cluster-node-timeout after its last failover.
        await waitFor(
          'the pre-checks to allow this shard',
          async () => (planOn(poller, { replicaId: replica.id }).allowed ? true : undefined),
          30_000,
          100,
        );
        const writer = startWriter(client, tagIn(master.slots));
        await waitFor('the writer to get going', async () => (writer.acked.size >= 400 ? true : undefined), 10_000, 10);
        const roles = (poller.latest?.nodes ?? [])
          .map((n) => `${n.id.slice(0, 8)}@${n.addr}:${n.role}>${n.masterId?.slice(0, 8)}:e${n.configEpoch}`)
          .join(' ');
        const { jobId } = startFailoverOn(
          poller,
          { replicaId: replica.id, mode: 'default', confirm: replica.id },
          operator,
        );
        const job = await finished(jobId);
        const { longestStallMs, rate } = await writer.stop();
        const logTail = async (id: string) =>
          (
            await readFile(
              path.join((dev.nodes.find((n) => n.id === id) as DevNode).process.dir, 'redis.log'),
              'utf8',
            ).catch(() => '')
          )
            .split('\n')
            .slice(-40)
            .join('\n');
        if (job.state !== 'succeeded')
          console.log(`replica log:\n${await logTail(replica.id)}\nmaster log:\n${await logTail(master.id)}`);
        expect(
          job.error,
          `round ${round}: replica ${replica.id.slice(0, 8)} master ${master.id.slice(0, 8)}; ${roles}; ${JSON.stringify(job.steps)}`,
        ).toBeUndefined();
        expect(job.state).toBe('succeeded');
        expect(job.steps.map((s) => [s.name, s.state])).toEqual([
          ['pre-checks', 'done'],
          ['scheduled', 'done'],
          ['replica caught up', 'done'],
          ['elected (new epoch)', 'done'],
          ['every reachable node agrees', 'done'],
          ['old master is a replica of the new one', 'done'],
          ['verified', 'done'],
        ]);
        let lost = 0;
        const keys = [...writer.acked.keys()];
        const values = await Promise.all(keys.map((k) => client.get(k)));
        keys.forEach((key, i) => {
          if (Number(values[i]) < (writer.acked.get(key) ?? 0)) lost++;
        });
        expect(lost, `round ${round}: acknowledged writes lost`).toBe(0);
        expect(poller.latest?.nodes.find((n) => n.id === replica.id)?.role).toBe('master');
        stalls.push(longestStallMs);
        rates.push(rate);
        await waitFor(
          'the old master to be a healthy replica',
          async () => {
            const old = poller.latest?.nodes.find((n) => n.id === master.id);
            return old?.role === 'replica' && old.info?.master_link_status === 'up' ? true : undefined;
          },
          20_000,
          50,
        );
      }
    } finally {
      client.disconnect();
    }
    console.log(
      `10 guided failovers, 0 acknowledged writes lost; writer rates ${rates.map((r) => Math.round(r)).join(', ')} writes/s; longest writer stall ${Math.max(...stalls)} ms (per round: ${stalls.join(', ')})`,
    );
    expect(Math.min(...rates)).toBeGreaterThan(2000);
    const audit = await readFile(path.join(dir, 'audit.jsonl'), 'utf8');
    expect(audit.split('\n').filter((l) => l.includes('"cluster.failover.result"') && l.includes('"ok"'))).toHaveLength(
      10,
    );
  }, 400_000);

  it('blocks a default failover when the replica link is down', async () => {
    const { master, replica } = shard(0);
    const node = dev.nodes.find((n) => n.id === replica.id) as DevNode;
    await dev.client(node).call('CONFIG', 'SET', 'masterauth', 'wrong-password');
    await dev.client(dev.nodes.find((n) => n.id === master.id) as DevNode).call('CLIENT', 'KILL', 'TYPE', 'replica');
    try {
      await waitFor(
        'the replica link to go down',
        async () =>
          poller.latest?.nodes.find((n) => n.id === replica.id)?.info?.master_link_status === 'down' ? true : undefined,
        15_000,
        50,
      );
      expect(
        planOn(poller, { replicaId: replica.id }).checks.find((c) => c.name === 'master_link_status'),
      ).toMatchObject({ status: 'fail', value: 'down' });
      expect(() =>
        startFailoverOn(poller, { replicaId: replica.id, mode: 'default', confirm: replica.id }, admin),
      ).toThrow(/pre-checks failed.*master_link_status/);
    } finally {
      await dev.client(node).call('CONFIG', 'SET', 'masterauth', PASSWORD);
    }
    await waitFor(
      'the link to come back',
      async () =>
        poller.latest?.nodes.find((n) => n.id === replica.id)?.info?.master_link_status === 'up' ? true : undefined,
      20_000,
      50,
    );
  });

  it('FORCE with the master SIGSTOPped promotes the replica, after warning of data loss; admin only', async () => {
    const { master, replica } = shard(1);
    const masterNode = dev.nodes.find((n) => n.id === master.id) as DevNode;
    dev.signal(masterNode, 'SIGSTOP');
    try {
      await waitFor(
        'the master to be unreachable',
        async () => (poller.latest?.nodes.find((n) => n.id === master.id)?.reachable === false ? true : undefined),
        10_000,
        50,
      );
      const plan = planOn(poller, { replicaId: replica.id });
      expect(plan).toMatchObject({ recommendedMode: 'force', adminOnly: true });
      expect(plan.explanation).toMatch(/acknowledged but did not replicate are LOST/);
      expect(() =>
        startFailoverOn(poller, { replicaId: replica.id, mode: 'force', confirm: replica.id }, operator),
      ).toThrow(ApiError);
      const { jobId } = startFailoverOn(poller, { replicaId: replica.id, mode: 'force', confirm: replica.id }, admin);
      const job = await finished(jobId);
      expect(job.error).toBeUndefined();
      expect(job.state).toBe('succeeded');
      expect(job.steps.find((s) => s.name === 'old master is a replica of the new one')?.state).toBe('skipped');
    } finally {
      dev.signal(masterNode, 'SIGCONT');
    }
    await waitFor(
      'the old master to rejoin as a replica',
      async () => {
        const old = poller.latest?.nodes.find((n) => n.id === master.id);
        return old?.role === 'replica' && old.masterId === replica.id && !old.flags.includes('fail') ? true : undefined;
      },
      30_000,
      100,
    );
  });

  it('TAKEOVER promotes a replica when the majority of masters is down; admin only', async () => {
    const a = shard(0);
    const b = shard(1);
    const stopped = [a.master, b.master].map((m) => dev.nodes.find((n) => n.id === m.id) as DevNode);
    for (const n of stopped) dev.signal(n, 'SIGSTOP');
    try {
      await waitFor(
        'both masters failing',
        async () => {
          const down = poller.latest?.nodes.filter(
            (n) =>
              stopped.some((s) => s.id === n.id) &&
              !n.reachable &&
              (n.flags.includes('fail?') || n.flags.includes('fail')),
          );
          return down?.length === 2 ? true : undefined;
        },
        20_000,
        50,
      );
      const plan = planOn(poller, { replicaId: a.replica.id });
      expect(plan.recommendedMode).toBe('takeover');
      expect(() =>
        startFailoverOn(poller, { replicaId: a.replica.id, mode: 'takeover', confirm: a.replica.id }, operator),
      ).toThrow(/admin role/);
      const { jobId } = startFailoverOn(
        poller,
        { replicaId: a.replica.id, mode: 'takeover', confirm: a.replica.id },
        admin,
      );
      const job = await finished(jobId);
      expect(job.steps.find((s) => s.name === 'elected (new epoch)')?.state).toBe('done');
      await waitFor(
        'the replica to be master',
        async () => (poller.latest?.nodes.find((n) => n.id === a.replica.id)?.role === 'master' ? true : undefined),
        10_000,
        50,
      );
    } finally {
      for (const n of stopped) dev.signal(n, 'SIGCONT');
    }
  });
});
