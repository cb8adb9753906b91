import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../devcluster/cluster';
import { startSentinelLossWriter } from './lossWriter';
import { type SentinelGroup, startSentinelGroup } from './sentinelGroup';

describe('the loss writer through HAProxy', () => {
  let group: SentinelGroup;
  let frontend: string;
  const password = 'writer-secret';

  beforeAll(async () => {
    group = await startSentinelGroup({ replicas: 1, sentinels: 1, password });
    frontend = group.haproxy?.frontendAddr ?? '';
  });
  afterAll(async () => {
    await group?.stop();
  });

  it('loses nothing when nothing happens, near its target rate', async () => {
    const writer = startSentinelLossWriter({ frontend, password, perSecond: 2000, durationMs: 1500, prefix: 'calm:' });
    await waitFor('the writer to stop by itself', async () => (writer.isWriting() ? undefined : true), 5000);
    const report = await writer.verify(await group.currentMaster());
    expect(report).toMatchObject({ failed: 0, lost: 0, lostKeys: [] });
    // Generous: the rate is measured by the benches; here only that it writes at about the target and stops.
    expect(report.acked).toBeGreaterThan(1000);
    expect(report.acked).toBeLessThanOrEqual(3100);
  });

  it('counts acknowledged keys that are gone from the master as lost, and only those', async () => {
    const writer = startSentinelLossWriter({ frontend, password, perSecond: 2000, maxWrites: 500, prefix: 'gone:' });
    await waitFor('500 writes acknowledged', async () => (writer.counts().acked === 500 ? true : undefined), 10_000);
    await writer.stop();
    const master = group.client(group.master.addr);
    await master.del(...Array.from({ length: 7 }, (_, i) => `gone:${i * 50 + 1}`));
    await master.set('gone:2', 'another value');
    const report = await writer.verify(group.master.addr);
    expect(report.acked).toBe(500);
    expect(report.lost).toBe(8);
    expect(report.lostKeys).toEqual([
      'gone:1',
      'gone:2',
      'gone:51',
      'gone:101',
      'gone:151',
      'gone:201',
      'gone:251',
      'gone:301',
    ]);
  });

  it('keeps writing across a HAProxy restart: dropped writes are failed, never acked, and none is lost', async () => {
    const writer = startSentinelLossWriter({
      frontend,
      password,
      perSecond: 1000,
      durationMs: 20_000,
      prefix: 'restart:',
    });
    await waitFor('writes flowing', async () => (writer.counts().acked > 200 ? true : undefined), 5000);
    const haproxy = group.haproxy;
    if (!haproxy) throw new Error('no haproxy');
    await haproxy.setServers(haproxy.serverAddrs);
    const before = writer.counts().acked;
    await waitFor(
      'writes flowing again',
      async () => (writer.counts().acked > before + 200 ? true : undefined),
      10_000,
    );
    const report = await writer.verify(await group.currentMaster());
    expect(report.reconnects).toBeGreaterThan(0);
    expect(report.lost).toBe(0);
  });
});
