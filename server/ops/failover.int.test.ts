import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import { flaggedFail } from '@/lib/failover/clusterView';
import type { FailoverPlan } from '@/lib/failover/prechecks';
import { evaluateFindings } from '@/lib/findings';
import type { FailoverJob } from '@/lib/jobs/types';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { freeNodePort } from '../../scripts/devcluster/ports';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { type LossReport, startLossWriter } from '../../scripts/test/lossWriter';
import { replyHoldingProxy } from '../../scripts/test/replyHoldingProxy';
import { ApiError } from '../api/errors';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { getJob, onJobChange } from '../jobs/registry';
import { planOn, startFailoverOn } from './startFailover';

const PASSWORD = 'failover-test-pw';
const admin: Principal = { kind: 'user', name: 'ann', role: 'admin' };
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
const POLLING = { pollIntervalMs: 250, nodeDeadlineMs: 500, latencySampleMs: 0 };
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
  poller = new ClusterPoller(resolvedClusterFor(dev, POLLING));
  poller.start();
  await waitFor('all nodes reachable', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 15_000);
}, 120_000);
afterAll(async () => {
  poller?.stop();
  stopPollers();
  await dev?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function finished(jobId: string, timeoutMs = 60_000): Promise<FailoverJob> {
  return waitFor(
    'the failover job to end',
    async () => {
      const job = getJob(jobId) as FailoverJob | undefined;
      return job && job.state !== 'running' ? job : undefined;
    },
    timeoutMs,
    20,
  );
}

/** The master of a shard now (roles change as the test fails over), and its one replica. */
function shard(index: number, from = poller) {
  const masters = (from.latest?.nodes ?? [])
    .filter((n) => n.role === 'master' && n.slotCount > 0)
    .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
  const master = masters[index];
  const replica = from.latest?.nodes.find((n) => n.role === 'replica' && n.masterId === master?.id);
  if (!master || !replica) throw new Error(`shard ${index} has no master/replica pair`);
  return { master, replica };
}

const devNode = (id: string) => {
  const node = dev.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no dev node ${id}`);
  return node;
};
/** Redis's own waits after an election (a failback has none): the pre-checks hold a shard back meanwhile. */
const untilAllowed = (replicaId: string) =>
  waitFor(
    'the pre-checks to allow this shard',
    async () => (planOn(poller, { replicaId }).allowed ? true : undefined),
    30_000,
    100,
  );

const check = (plan: FailoverPlan, name: string) => plan.checks.find((c) => c.name === name);

async function logTail(node: DevNode) {
  const log = await readFile(path.join(node.process.dir, 'redis.log'), 'utf8').catch(() => '');
  return log.split('\n').slice(-40).join('\n');
}

/** The old master follows the new one with its link up, as the poller sees it. */
async function healthyReplicaOf(oldMasterId: string, newMasterId: string, timeoutMs = 30_000) {
  await waitFor(
    `${oldMasterId.slice(0, 8)} to be a healthy replica of ${newMasterId.slice(0, 8)}`,
    async () => {
      const old = poller.latest?.nodes.find((n) => n.id === oldMasterId);
      return old?.role === 'replica' &&
        old.masterId === newMasterId &&
        old.reachable &&
        old.info?.master_link_status === 'up' &&
        !flaggedFail(old)
        ? true
        : undefined;
    },
    timeoutMs,
    50,
  );
}

const DEFAULT_STEPS = [
  ['pre-checks', 'done'],
  ['scheduled', 'done'],
  ['replica caught up', 'done'],
  ['elected (new epoch)', 'done'],
  ['every reachable node agrees', 'done'],
  ['old master is a replica of the new one', 'done'],
  ['verified', 'done'],
];

describe('guided failover on a real cluster under write load', () => {
  it('loses no acknowledged write over 10 default-mode failovers: one new key per write, all read back', async () => {
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
    client.on('error', () => {});
    const writer = startLossWriter(client, 30_000);
    let report: LossReport;
    try {
      await waitFor(
        'the writer to get going',
        async () => (writer.ackedCount() >= 1000 ? true : undefined),
        10_000,
        10,
      );
      const jobIds: string[] = [];
      for (let round = 0; round < 10; round++) {
        const { master, replica } = shard(round % 3);
        await untilAllowed(replica.id);
        const { jobId } = startFailoverOn(
          poller,
          { replicaId: replica.id, mode: 'default', confirm: replica.id },
          operator,
        );
        const job = await finished(jobId);
        if (job.state !== 'succeeded')
          console.log(
            `replica log:\n${await logTail(devNode(replica.id))}\nmaster log:\n${await logTail(devNode(master.id))}`,
          );
        expect(job.error, `round ${round}: ${JSON.stringify(job.steps)}`).toBeUndefined();
        expect(job.steps.map((s) => [s.name, s.state])).toEqual(DEFAULT_STEPS);
        // Rounds 3-5 promote back the old masters of rounds 0-2 (failbacks); rounds 6-8 undo those failbacks, which
        // is a new failover, and round 9 is the failback of round 6.
        const undoes = round >= 3 && Math.floor(round / 3) % 2 === 1 ? jobIds[round - 3] : undefined;
        expect(job.params, `round ${round}`).toEqual({
          replicaId: replica.id,
          oldMasterId: master.id,
          mode: 'default',
          ...(undoes ? { failbackOf: undoes } : {}),
        });
        jobIds.push(jobId);
        expect(poller.latest?.nodes.find((n) => n.id === replica.id)?.role).toBe('master');
        await healthyReplicaOf(master.id, replica.id);
      }
    } finally {
      report = await writer.stop().finally(() => client.disconnect());
    }
    console.log(
      `10 guided failovers under a writer of one new key per write: ${report.acked} writes acknowledged, ${report.lost} lost, longest writer stall ${report.longestStallMs} ms, ${report.writesPerSecond} writes/s`,
    );
    expect(report.lostKeys).toEqual([]);
    expect(report.lost).toBe(0);
    expect(report.acked).toBeGreaterThan(10_000);
    const audit = await readFile(path.join(dir, 'audit.jsonl'), 'utf8');
    expect(audit.split('\n').filter((l) => l.includes('"cluster.failover.result"') && l.includes('"ok"'))).toHaveLength(
      10,
    );
  }, 400_000);

  it('blocks a default failover when the replica link is down', async () => {
    const { master, replica } = shard(0);
    const node = devNode(replica.id);
    await dev.client(node).call('CONFIG', 'SET', 'masterauth', 'wrong-password');
    await dev.client(devNode(master.id)).call('CLIENT', 'KILL', 'TYPE', 'replica');
    try {
      await waitFor(
        'the replica link to go down',
        async () =>
          poller.latest?.nodes.find((n) => n.id === replica.id)?.info?.master_link_status === 'down' ? true : undefined,
        15_000,
        50,
      );
      expect(check(planOn(poller, { replicaId: replica.id }), 'master_link_status')).toMatchObject({
        status: 'fail',
        value: 'down',
      });
      expect(() =>
        startFailoverOn(poller, { replicaId: replica.id, mode: 'default', confirm: replica.id }, admin),
      ).toThrow(/pre-checks failed.*master_link_status/);
    } finally {
      await dev.client(node).call('CONFIG', 'SET', 'masterauth', PASSWORD);
    }
    await healthyReplicaOf(replica.id, master.id, 20_000);
  });

  it('keeps DEFAULT when only the dashboard cannot reach a healthy master, and the failover works', async () => {
    const { master, replica } = shard(2);
    // The dashboard's path to this master goes to a closed port; the cluster bus between the nodes is untouched.
    const blocked = new ClusterPoller(
      resolvedClusterFor(dev, { ...POLLING, natMap: { [master.addr]: `127.0.0.1:${await freeNodePort()}` } }),
    );
    blocked.start();
    try {
      await waitFor(
        'the blocked poller to place all 6 nodes and reach 5',
        async () => {
          const s = blocked.latest;
          const m = s?.nodes.find((n) => n.id === master.id);
          return s?.nodes.length === 6 && s.summary.reachable === 5 && m && !m.reachable ? true : undefined;
        },
        15_000,
        50,
      );
      const plan = planOn(blocked, { replicaId: replica.id });
      expect(plan).toMatchObject({ recommendedMode: 'default', mode: 'default', allowed: true });
      expect(check(plan, 'master up (cluster view)')?.status).toBe('pass');
      expect(check(plan, 'master reachable from this dashboard')).toMatchObject({
        status: 'warn',
        detail: expect.stringContaining(
          `This dashboard cannot reach ${master.addr} (${master.id.slice(0, 8)}); the cluster sees it healthy: check the path between the dashboard and the node`,
        ),
      });
      expect(check(plan, 'majority of masters up')?.value).toMatch(
        /^3 of 3 in the cluster view \(the dashboard reaches 2\)/,
      );
      const snapshot = blocked.latest;
      if (!snapshot) throw new Error('no snapshot');
      expect(
        evaluateFindings(snapshot)
          .filter((f) => f.severity === 'critical' && f.nodeIds.includes(master.id))
          .map((f) => `${f.code}: ${f.message}`),
        'no critical finding calls the unreachable-but-healthy shard down',
      ).toEqual([]);

      const { jobId } = startFailoverOn(
        blocked,
        { replicaId: replica.id, mode: 'default', confirm: replica.id },
        operator,
      );
      const job = await finished(jobId);
      expect(job.error, JSON.stringify(job.steps)).toBeUndefined();
      expect(job.steps.map((s) => [s.name, s.state])).toEqual(DEFAULT_STEPS);
      expect(job.steps.find((s) => s.name === 'old master is a replica of the new one')?.detail).toMatch(
        /this dashboard gets no reply from it; \d other node\(s\) see it as a replica of the new master/,
      );
    } finally {
      blocked.stop();
    }
    await healthyReplicaOf(master.id, replica.id);
  });

  it('reports a TAKEOVER whose reply timed out as taken effect, after warning that DEFAULT would lose nothing', async () => {
    const { master, replica } = shard(0);
    // The dashboard reaches this replica through a proxy that holds the reply to CLUSTER FAILOVER for 1.5 s: the
    // job's 1 s command timeout fires, while the replica has already taken over.
    const proxy = await replyHoldingProxy(replica.host, replica.port, /\r\nFAILOVER\r\n/, 1500);
    const viaProxy = new ClusterPoller(
      resolvedClusterFor(dev, { ...POLLING, natMap: { [replica.addr]: `127.0.0.1:${proxy.port}` } }),
    );
    viaProxy.start();
    try {
      await waitFor(
        'the pre-checks to allow this shard',
        async () =>
          viaProxy.latest?.summary.reachable === 6 && planOn(viaProxy, { replicaId: replica.id }, 'takeover').allowed
            ? true
            : undefined,
        30_000,
        100,
      );
      const plan = planOn(viaProxy, { replicaId: replica.id }, 'takeover');
      expect(plan.recommendedMode).toBe('default');
      expect(check(plan, 'mode fits a healthy master')).toMatchObject({
        status: 'warn',
        detail: expect.stringMatching(/DEFAULT failover would lose nothing.*split-brain/),
      });
      const { jobId } = startFailoverOn(
        viaProxy,
        { replicaId: replica.id, mode: 'takeover', confirm: replica.id },
        admin,
      );
      const job = await finished(jobId);
      expect(proxy.held(), 'the proxy held a CLUSTER FAILOVER reply').toBe(1);
      expect(job.error, JSON.stringify(job.steps)).toBeUndefined();
      expect(job.state).toBe('succeeded');
      expect(job.result?.commandError).toMatch(/timed out/i);
      expect(job.result?.notes.join(' ')).toMatch(/CLUSTER FAILOVER TAKEOVER got no reply .*but it took effect/);
      expect(job.steps.find((s) => s.name === 'scheduled')?.detail).toMatch(/but it took effect/);
      expect(job.steps.find((s) => s.name === 'verified')?.state).toBe('done');
    } finally {
      viaProxy.stop();
      await proxy.close();
    }
    await healthyReplicaOf(master.id, replica.id);
  });

  it('FORCE with the master SIGSTOPped (the cluster marks it FAIL) promotes the replica; admin only', async () => {
    const { master, replica } = shard(1);
    const masterNode = devNode(master.id);
    const replicaNode = devNode(replica.id);
    // The cluster would promote the replica on its own once the master is FAIL; keep this about the manual FORCE.
    await dev.client(replicaNode).call('CONFIG', 'SET', 'cluster-replica-no-failover', 'yes');
    dev.signal(masterNode, 'SIGSTOP');
    try {
      await waitFor(
        'the cluster to mark the master FAIL',
        async () => {
          const m = poller.latest?.nodes.find((n) => n.id === master.id);
          return m && flaggedFail(m) ? true : undefined;
        },
        15_000,
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
      expect(job.error, JSON.stringify(job.steps)).toBeUndefined();
      expect(job.state).toBe('succeeded');
      expect(job.steps.find((s) => s.name === 'old master is a replica of the new one')?.state).toBe('skipped');
    } finally {
      dev.signal(masterNode, 'SIGCONT');
      await dev.client(replicaNode).call('CONFIG', 'SET', 'cluster-replica-no-failover', 'no');
    }
    await healthyReplicaOf(master.id, replica.id);
  });

  it('says the masters did not vote when no majority answers, and the master resumes writers on its own', async () => {
    const { master, replica } = shard(1);
    await untilAllowed(replica.id);
    const others = dev.nodes.filter(
      (n) => n.id !== master.id && poller.latest?.nodes.some((s) => s.id === n.id && s.role === 'master'),
    );
    expect(others).toHaveLength(2);
    // Only the shard's own master can vote: one vote of three, no election.
    for (const n of others) dev.signal(n, 'SIGSTOP');
    try {
      const { jobId } = startFailoverOn(
        poller,
        { replicaId: replica.id, mode: 'default', confirm: replica.id },
        operator,
      );
      const job = await finished(jobId, 30_000);
      expect(job.state).toBe('failed');
      expect(job.steps.find((s) => s.name === 'replica caught up')?.state).toBe('done');
      expect(job.error).toMatch(
        /the masters did not grant it a majority of votes, or the attempt expired\..*is still the shard's master\. The master resumed writers on its own/,
      );
      expect(Date.parse(job.endedAt ?? '') - Date.parse(job.startedAt)).toBeLessThan(11_000);
      // The manual failover paused writers on the master; it let them go when the attempt expired. PUBLISH is held
      // by that pause like a write, and is not refused while this minority side says CLUSTERDOWN.
      const write = Date.now();
      await dev.client(devNode(master.id)).call('PUBLISH', 'failover-test', 'after the expired attempt');
      expect(Date.now() - write).toBeLessThan(500);
    } finally {
      for (const n of others) dev.signal(n, 'SIGCONT');
    }
    await dev.waitUntilOk();
    await healthyReplicaOf(replica.id, master.id);
  });

  it('says "the replica stopped answering" within ~10 s when the replica dies right after CLUSTER FAILOVER', async () => {
    const { master, replica } = shard(2);
    await untilAllowed(replica.id);
    const replicaNode = devNode(replica.id);
    // The other two masters are stopped for a moment so the election cannot finish before the replica is killed.
    const voters = dev.nodes.filter((n) => poller.latest?.nodes.some((s) => s.id === n.id && s.role === 'master'));
    const others = voters.filter((n) => n.id !== master.id);
    expect(others).toHaveLength(2);
    let killed: Promise<void> | undefined;
    const unsubscribe = onJobChange((job) => {
      const scheduled = job.steps.find((s) => s.name === 'scheduled');
      if (killed || job.kind !== 'failover' || scheduled?.state !== 'done') return;
      killed = dev.kill(replicaNode);
      for (const n of others) dev.signal(n, 'SIGCONT');
    });
    for (const n of others) dev.signal(n, 'SIGSTOP');
    try {
      const { jobId } = startFailoverOn(
        poller,
        { replicaId: replica.id, mode: 'default', confirm: replica.id },
        operator,
      );
      const job = await finished(jobId, 30_000);
      await killed;
      expect(killed, 'the replica was killed right after OK').toBeDefined();
      expect(job.state).toBe('failed');
      expect(job.error).toMatch(/the replica stopped answering/);
      const tookMs = Date.parse(job.endedAt ?? '') - Date.parse(job.startedAt);
      expect(tookMs).toBeLessThan(11_000);
      console.log(`replica killed after OK: the job ended after ${tookMs} ms: ${job.error}`);
    } finally {
      unsubscribe();
      for (const n of others) dev.signal(n, 'SIGCONT');
    }
    await dev.restart(replicaNode);
    await healthyReplicaOf(replica.id, master.id);
    await dev.waitUntilOk();
  });

  // Last: two masters are killed and not waited for afterwards.
  it('TAKEOVER with the majority of masters down ends succeeded, the shard verified; admin only', async () => {
    const a = shard(0);
    const b = shard(1);
    const killed = [a.master, b.master].map((m) => devNode(m.id));
    await Promise.all(killed.map((n) => dev.kill(n)));
    await waitFor(
      'the cluster to see the majority of masters gone',
      async () => (planOn(poller, { replicaId: a.replica.id }).recommendedMode === 'takeover' ? true : undefined),
      20_000,
      50,
    );
    const plan = planOn(poller, { replicaId: a.replica.id });
    expect(check(plan, 'majority of masters up')?.value).toMatch(/^1 of 3/);
    expect(() =>
      startFailoverOn(poller, { replicaId: a.replica.id, mode: 'takeover', confirm: a.replica.id }, operator),
    ).toThrow(/admin role/);
    const { jobId } = startFailoverOn(
      poller,
      { replicaId: a.replica.id, mode: 'takeover', confirm: a.replica.id },
      admin,
    );
    const job = await finished(jobId);
    expect(job.error, JSON.stringify(job.steps)).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.steps.find((s) => s.name === 'verified')).toMatchObject({
      state: 'done',
      detail: expect.stringMatching(/the shard's slots on the new master in all \d answering nodes' views/),
    });
    expect(job.result?.verifiedOnNodes).toBeGreaterThanOrEqual(3);
    expect(poller.latest?.nodes.find((n) => n.id === a.replica.id)?.role).toBe('master');
  });
});
