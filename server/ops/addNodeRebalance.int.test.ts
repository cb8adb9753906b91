import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import type { Job } from '@/lib/jobs/types';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { slotsInRanges } from '@/lib/redis/slots';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import { fillSlots, keysPerMaster } from '../../scripts/test/slotData';
import { ClusterPoller } from '../collect/poller';
import { stopPollers } from '../collect/pollers';
import { getJob } from '../jobs/registry';
import { startAddNodeOn } from './addNode';
import { previewAddNodeOn } from './addNodePlan';
import { startRebalanceOn } from './rebalance';

// Issue 14's acceptance, first half: add a master with the add-node job, then rebalance onto it with "use empty
// masters" (what the dialog offers once the master is in); the nodes' own views and redis-cli --cluster check judge.

const PASSWORD = 'add-node-rebalance-pw';
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
const KEYS_PER_SLOT = 2;

async function ended(jobId: string): Promise<Job> {
  return waitFor(
    `job ${jobId} to end`,
    async () => {
      const job = getJob(jobId);
      return job && job.state !== 'running' ? job : undefined;
    },
    180_000,
    50,
  );
}

describe.each<Flavour>(['redis', 'valkey'])('add a master and rebalance onto it, %s', (flavour) => {
  let dir: string;
  let dev: DevCluster;
  let poller: ClusterPoller;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'add-node-rebalance-int-'));
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'a.jsonl' }),
    );
    process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
    dev = await startThreeHostCluster({ password: PASSWORD, serverBin: serverBin(flavour) });
    expect(
      await fillSlots(
        dev,
        Array.from({ length: 16384 }, (_, i) => i),
        () => KEYS_PER_SLOT,
      ),
    ).toBe(16384 * KEYS_PER_SLOT);
    poller = new ClusterPoller(
      resolvedClusterFor(dev, {
        id: `add-rebalance-${flavour}`,
        pollIntervalMs: 250,
        nodeDeadlineMs: 1000,
        allowedTargets: ['127.0.0.0/8'],
      }),
    );
    poller.start();
    await waitFor('six nodes polled', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 15_000);
  }, 180_000);
  afterAll(async () => {
    poller?.stop();
    stopPollers();
    await dev?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('the new master owns a quarter of the slots in every node own view, keys add up, check clean', async () => {
    const fresh = await dev.startEmptyNode('127.0.0.4');
    const preview = await previewAddNodeOn(poller, { addr: fresh.addr, role: 'master' }, operator);
    expect(preview.decision).toMatchObject({ ok: true, plan: { nodeId: fresh.id, role: 'master' } });
    const added = await ended(
      (await startAddNodeOn(poller, { addr: fresh.addr, role: 'master', confirm: '' }, operator)).jobId,
    );
    expect(added.state, added.error).toBe('succeeded');
    expect(added.result).toMatchObject({ offerRebalance: true });
    // The rebalance plans on the poller's snapshot: wait until it holds the new master as its own view says it.
    await waitFor(
      'the new master in the snapshot, cluster_state:ok',
      async () => {
        const node = (await poller.fresh()).nodes.find((n) => n.id === fresh.id);
        return node?.reachable && node.role === 'master' && node.clusterState === 'ok' ? true : undefined;
      },
      30_000,
      100,
    );

    const { jobId } = await startRebalanceOn(poller, { useEmptyMasters: true, confirm: '' }, operator);
    const rebalance = await ended(jobId);
    expect(rebalance.state, rebalance.error).toBe('succeeded');
    expect(rebalance.kind).toBe('rebalance');

    // Every node's own view: the new master owns 4,096 slots (redis-cli's plan for 4 equal weights).
    for (const node of dev.nodes) {
      const view = parseClusterNodes(await dev.clusterNodes(node));
      const line = view.find((l) => l.id === fresh.id);
      expect(line?.role, `${node.addr}'s view`).toBe('master');
      expect(slotsInRanges(line?.slots ?? []).length, `${node.addr}'s view`).toBe(4096);
    }
    const perMaster = await keysPerMaster(dev);
    expect(perMaster.get(fresh.addr)).toBe(4096 * KEYS_PER_SLOT);
    expect([...perMaster.values()].reduce((a, b) => a + b, 0)).toBe(16384 * KEYS_PER_SLOT);
    const check = await waitFor(
      'redis-cli --cluster check clean',
      async () => {
        const r = await redisCliCheck(fresh.addr, PASSWORD);
        return r.agree && r.covered && r.openSlots.length === 0 ? r : undefined;
      },
      30_000,
      250,
    );
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [], replicasOfUnknown: [], unreachable: [] });
  }, 300_000);
});
