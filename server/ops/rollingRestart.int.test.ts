import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { Job, RollingRestartResult } from '@/lib/jobs/types';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { parseInfo } from '@/lib/redis/info';
import type { DevCluster, DevNode } from '../../scripts/devcluster/cluster';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import type { ApiError } from '../api/errors';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { cancelJob, getJob } from '../jobs/registry';
import { advanceRollingRestart, startRollingRestartOn } from './rollingRestart';

// Issue 14, item 7: the test plays the operator. Whenever the job shows "restart <addr> now", the test stops that
// redis-server and starts it again on the same port and nodes.conf; the job must see the new run_id by itself.

const PASSWORD = 'rolling-restart-pw';
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
const TIMING = { graceMs: 10_000, rejoinMs: 60_000, precheckMs: 30_000 };
type RestartJob = Job<RollingRestartResult>;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rolling-restart-int-'));
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

const jobOf = (jobId: string) => getJob(jobId) as RestartJob | undefined;

/** The step the job waits on for the operator (a new one each time), or the job once it has ended. */
async function nextWait(jobId: string, handled: Set<string>): Promise<{ step: string; nodeId: string } | RestartJob> {
  return waitFor(
    'the job to wait for a restart, or to end',
    async () => {
      const job = jobOf(jobId);
      if (!job) return undefined;
      if (job.state !== 'running') return job;
      const waiting = job.rollingRestart?.waiting;
      return waiting && !handled.has(waiting.step) ? { step: waiting.step, nodeId: waiting.nodeId } : undefined;
    },
    120_000,
    50,
  );
}

describe.each<Flavour>(['redis', 'valkey'])('rolling restart on %s', (flavour) => {
  let dev: DevCluster;
  let poller: ClusterPoller;

  const node = (id: string): DevNode => {
    const found = dev.nodes.find((n) => n.id === id);
    if (!found) throw new Error(`no dev node ${id}`);
    return found;
  };
  const runId = async (n: DevNode) => parseInfo(String(await dev.client(n).call('INFO', 'server'))).fields.run_id;
  /** Every node answers, links are up and the poller has seen it all (the next job plans on that snapshot). */
  const settled = () =>
    waitFor(
      'the cluster healthy again, as the poller sees it',
      async () => {
        const s = poller.latest;
        const ok =
          s?.status === 'ok' &&
          s.summary.reachable === 6 &&
          s.nodes.every((n) => !n.flags.some((f) => f === 'fail' || f === 'fail?')) &&
          s.nodes.every((n) => n.role !== 'replica' || n.info?.master_link_status === 'up');
        return ok ? true : undefined;
      },
      60_000,
      200,
    );

  beforeAll(async () => {
    dev = await startThreeHostCluster({ password: PASSWORD, nodeTimeoutMs: 2000, serverBin: serverBin(flavour) });
    poller = new ClusterPoller(
      resolvedClusterFor(dev, { id: `rolling-${flavour}`, pollIntervalMs: 250, nodeDeadlineMs: 500 }),
    );
    poller.start();
    await settled();
  }, 240_000);
  afterAll(async () => {
    poller?.stop();
    await dev?.stop();
  });

  it('restarts every node, replicas first, failing over and back: every run_id new, roles back, check clean', async () => {
    const before = new Map<string, string | undefined>();
    for (const n of dev.nodes) before.set(n.id, await runId(n));
    const mastersBefore = dev.masters.map((m) => m.id).sort();
    const { jobId } = startRollingRestartOn(poller, { failBack: true, restartLoneMasters: false }, operator, TIMING);
    const handled = new Set<string>();
    const order: string[] = [];
    for (;;) {
      const next = await nextWait(jobId, handled);
      if ('state' in next) break;
      handled.add(next.step);
      order.push(next.nodeId);
      await dev.restartGracefully(node(next.nodeId));
    }
    const job = jobOf(jobId);
    expect(job?.error).toBeUndefined();
    expect(job?.state).toBe('succeeded');
    expect(job?.steps.every((s) => s.state === 'done')).toBe(true);
    // Replicas first, then each old master.
    const replicaIds = new Set(dev.replicas.map((r) => r.id));
    expect(order.slice(0, 3).every((id) => replicaIds.has(id))).toBe(true);
    expect(order.slice(3).sort()).toEqual(mastersBefore);
    expect(job?.result?.restarted).toHaveLength(6);
    expect([...(job?.rollingRestart?.restarted ?? [])].sort()).toEqual(dev.nodes.map((n) => n.id).sort());
    expect(job?.result?.failovers).toBe(6);
    for (const n of dev.nodes) expect(await runId(n), `${n.addr}'s run_id`).not.toBe(before.get(n.id));
    const view = parseClusterNodes(String(await dev.client(dev.nodes[0] as DevNode).call('CLUSTER', 'NODES')));
    for (const id of mastersBefore) expect(view.find((l) => l.id === id)?.role).toBe('master');
    const check = await redisCliCheck(dev.nodes[0]?.addr ?? '', PASSWORD);
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [], replicasOfUnknown: [] });
    expect(Object.values(check.replicasOf)).toEqual([1, 1, 1]);
    await settled();
  }, 300_000);

  it('skip ends a wait without a restart; a stale step is refused; cancel stops the job', async () => {
    const { jobId } = startRollingRestartOn(poller, { failBack: false, restartLoneMasters: false }, operator, TIMING);
    const handled = new Set<string>();
    const first = await nextWait(jobId, handled);
    if ('state' in first) throw new Error(`the job ended: ${first.error}`);
    handled.add(first.step);
    const runIdBefore = await runId(node(first.nodeId));
    expect(advanceRollingRestart(jobId, { action: 'skip', step: first.step }, operator)).toMatchObject({
      step: first.step,
    });
    const second = await nextWait(jobId, handled);
    if ('state' in second) throw new Error(`the job ended: ${second.error}`);
    const stale = (() => {
      try {
        return advanceRollingRestart(jobId, { action: 'skip', step: first.step }, operator);
      } catch (err) {
        return err;
      }
    })();
    expect((stale as ApiError).code).toBe('conflict');
    cancelJob(jobId);
    const ended = await waitFor(
      'the job to end',
      async () => {
        const job = jobOf(jobId);
        return job?.state !== 'running' ? job : undefined;
      },
      10_000,
    );
    expect(ended?.state).toBe('cancelled');
    expect(ended?.steps.find((s) => s.name === first.step)?.state).toBe('skipped');
    expect(await runId(node(first.nodeId))).toBe(runIdBefore);
  }, 120_000);

  it('stops when another node fails while it waits for a restart', async () => {
    const { jobId } = startRollingRestartOn(poller, { failBack: false, restartLoneMasters: false }, operator, TIMING);
    const first = await nextWait(jobId, new Set());
    if ('state' in first) throw new Error(`the job ended: ${first.error}`);
    const victim = dev.replicas.find((r) => r.id !== first.nodeId);
    if (!victim) throw new Error('no other replica');
    await dev.kill(victim);
    const ended = await waitFor(
      'the job to stop',
      async () => {
        const job = jobOf(jobId);
        return job?.state !== 'running' ? job : undefined;
      },
      30_000,
    );
    expect(ended?.state).toBe('failed');
    expect(ended?.error).toMatch(new RegExp(`health degraded: .*${victim.addr.replace(/\./g, '\\.')} is flagged FAIL`));
    expect(ended?.steps.find((s) => s.name === first.step)?.state).toBe('failed');
    // While the node is down, a new rolling restart is refused with the reason, before anything is sent.
    await waitFor(
      'the poller to see the node FAIL',
      async () => (poller.latest?.nodes.find((n) => n.id === victim.id)?.flags.includes('fail') ? true : undefined),
      15_000,
    );
    const refused = (() => {
      try {
        return startRollingRestartOn(poller, { failBack: false, restartLoneMasters: false }, operator, TIMING);
      } catch (err) {
        return err;
      }
    })();
    expect((refused as ApiError).code).toBe('conflict');
    expect((refused as ApiError).message).toContain(`${victim.addr} is flagged fail`);
    await dev.restart(victim);
    await dev.waitUntilOk();
    await settled();
    const viewer: Principal = { kind: 'user', name: 'vera', role: 'viewer' };
    expect(() => startRollingRestartOn(poller, { failBack: false, restartLoneMasters: false }, viewer)).toThrow(
      /needs the operator role/,
    );
  }, 120_000);
});
