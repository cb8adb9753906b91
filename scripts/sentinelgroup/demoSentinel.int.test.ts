import { Redis } from 'ioredis';
import { expect, it } from 'vitest';
import { resolveConfig } from '../../server/config/load';
import { waitFor } from '../devcluster/cluster';
import { startDemoSentinel } from './demoSentinel';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

it("the demo's Sentinel deployment: a config entry the dashboard resolves, traffic through HAProxy, nothing left", async () => {
  const demo = await startDemoSentinel();
  const pids = demo.lines.map((l) => Number(/pid (\d+)/.exec(l)?.[1]));
  try {
    expect(pids).toHaveLength(7);
    const config = resolveConfig({ clusters: [demo.entry] }, 'demo.json', { ...demo.env });
    const [resolved] = config.sentinels;
    expect(resolved).toMatchObject({ kind: 'sentinel', name: 'Sentinel demo', masterName: 'mymaster' });
    expect(resolved?.password).toBe(demo.env.DEMO_SENTINEL_PASSWORD);
    expect(resolved?.sentinelPassword).toBe(demo.env.DEMO_SENTINEL_AUTH);
    expect(JSON.stringify(demo.entry)).not.toContain(demo.env.DEMO_SENTINEL_PASSWORD);

    const [host, port] = (resolved?.sentinels[0] ?? '').split(':');
    const sentinel = new Redis({ host, port: Number(port), password: resolved?.sentinelPassword, lazyConnect: true });
    await sentinel.connect();
    const [mHost, mPort] = (await sentinel.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'mymaster')) as string[];
    sentinel.disconnect();
    const master = new Redis({ host: mHost, port: Number(mPort), password: resolved?.password });
    try {
      await waitFor(
        'the light traffic to reach the master',
        async () => ((await master.dbsize()) >= 20 ? true : undefined),
        10_000,
      );
      expect(await master.ttl((await master.keys('demo:w:*'))[0] ?? '')).toBeGreaterThan(0);
    } finally {
      master.disconnect();
    }
  } finally {
    await demo.stop();
  }
  expect(pids.filter(alive)).toEqual([]);
});
