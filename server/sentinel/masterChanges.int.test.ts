// The sentinels' own failover and a guided one, as the poller records them (real redis-server and redis-sentinel):
// each change of the named master kept with when and whose it was, and the running guided job on every snapshot.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENTINEL_FAILOVER_KIND } from '@/lib/sentinel/failoverJob';
import { waitFor } from '../../scripts/devcluster/cluster';
import { type SentinelGroup, startSentinelGroup } from '../../scripts/sentinelgroup/sentinelGroup';
import { getSentinelPoller, stopPollers } from '../collect/pollers';
import { startJob } from '../jobs/registry';

let group: SentinelGroup;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sentinel-changes-'));
  group = await startSentinelGroup({ haproxy: false });
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      clusters: [group.configEntry({ id: 's', name: 'Sessions', pollIntervalMs: 250, nodeDeadlineMs: 600 })],
      users: [{ name: 'otto', role: 'operator', passwordHash: `$2b$10$${'a'.repeat(53)}` }],
      auditLogPath: 'audit.jsonl',
    }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  process.env.DASHBOARD_SESSION_SECRET = 'sentinel-changes-secret-0123456789abcdef';
  await waitFor(
    'the first full poll',
    async () => {
      const s = getSentinelPoller('s')?.latest;
      return s?.master?.reachable && s.replicas.length === 2 ? true : undefined;
    },
    30_000,
  );
}, 120_000);
afterAll(async () => {
  stopPollers();
  await group?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** SENTINEL FAILOVER, retried while the sentinels are still busy with the last one (INPROG, NOGOODSLAVE). */
async function sentinelFailover(): Promise<void> {
  await waitFor(
    'a sentinel to accept SENTINEL FAILOVER',
    async () => {
      try {
        return (await group.sentinelClient(0).call('SENTINEL', 'FAILOVER', 'mymaster')) === 'OK' ? true : undefined;
      } catch {
        return undefined;
      }
    },
    60_000,
    250,
  );
}

describe('master changes as the poller records them (T#6, T#8)', () => {
  it("the sentinels' own failover: old -> new, when, no guided job", async () => {
    const poller = getSentinelPoller('s');
    if (!poller) throw new Error('no poller');
    const old = group.master.addr;
    await sentinelFailover();
    const change = await waitFor(
      'the poller to record the change',
      async () => poller.latest?.masterChanges?.at(-1),
      60_000,
      100,
    );
    expect(change.from).toBe(old);
    expect(change.to).not.toBe(old);
    expect(group.replicas.map((r) => r.addr)).toContain(change.to);
    expect(change.guidedJobId).toBeUndefined();
    expect(Date.parse(change.at)).toBeGreaterThan(Date.now() - 60_000);
    expect(poller.latest?.guidedFailover).toBeUndefined();
  }, 120_000);

  it('a guided failover job running: every snapshot says so, and the change it makes names the job', async () => {
    const poller = getSentinelPoller('s');
    if (!poller) throw new Error('no poller');
    let finish = () => {};
    const job = startJob(SENTINEL_FAILOVER_KIND, 's', 'otto', () => new Promise<void>((resolve) => (finish = resolve)));
    try {
      const running = await waitFor('the job on the snapshot', async () => poller.latest?.guidedFailover, 10_000, 50);
      expect(running).toEqual({ jobId: job.id, startedAt: job.startedAt });
      const before = poller.latest?.masterChanges?.length ?? 0;
      await sentinelFailover();
      const change = await waitFor(
        'the guided change',
        async () =>
          (poller.latest?.masterChanges?.length ?? 0) > before ? poller.latest?.masterChanges?.at(-1) : undefined,
        60_000,
        100,
      );
      expect(change.guidedJobId).toBe(job.id);
    } finally {
      finish();
    }
    await waitFor(
      'the job gone from the snapshot',
      async () => (poller.latest && !poller.latest.guidedFailover ? true : undefined),
      10_000,
      50,
    );
  }, 120_000);
});
