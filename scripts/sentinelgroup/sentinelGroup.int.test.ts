import { get } from 'node:http';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../devcluster/cluster';
import { type Flavour, serverBin } from '../test/flavours';
import { type SentinelGroup, startSentinelGroup } from './sentinelGroup';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

function fetchText(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

// Redis without passwords; Valkey with data-node and sentinel passwords, so both config paths are exercised.
describe.each<[Flavour, { password?: string; sentinelPassword?: string }]>([
  ['redis', {}],
  ['valkey', { password: 'data-secret', sentinelPassword: 'sentinel-secret' }],
])('a Sentinel group on %s', (flavour, secrets) => {
  let group: SentinelGroup;

  beforeAll(async () => {
    group = await startSentinelGroup({ serverBin: flavour === 'redis' ? undefined : serverBin(flavour), ...secrets });
  });
  afterAll(async () => {
    await group?.stop();
  });

  it('has the seed layout on three loopback hosts', () => {
    expect(group.master.host).toBe('127.0.0.1');
    expect(group.replicas.map((r) => r.host)).toEqual(['127.0.0.2', '127.0.0.3']);
    expect(group.sentinels.map((s) => s.host)).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    expect(group.haproxy?.host).toBe('127.0.0.1');
  });

  it('every sentinel names the master, and lists the replicas by their hosts', async () => {
    expect(await group.masterBySentinel()).toEqual([group.master.addr, group.master.addr, group.master.addr]);
    expect(await group.currentMaster()).toBe(group.master.addr);
    const client = group.sentinelClient(2);
    await client.connect();
    const replicas = (await client.call('SENTINEL', 'REPLICAS', group.masterName)) as string[][];
    client.disconnect();
    const names = replicas.map((r) => r[r.indexOf('name') + 1]).sort();
    expect(names).toEqual(group.replicas.map((r) => r.addr).sort());
  });

  it("HAProxy's stats show exactly the master UP, on the socket and in the CSV", async () => {
    const haproxy = group.haproxy;
    if (!haproxy) throw new Error('no haproxy');
    const rows = await haproxy.serverStats();
    expect(rows.map((r) => [r.svname, r.addr])).toEqual(group.dataNodes.map((n) => [n.name, n.addr]));
    expect(await haproxy.upServers()).toEqual([group.master.addr]);
    const csv = await fetchText(haproxy.statsUrl);
    const up = csv.split('\n').filter((l) => l.startsWith(`${haproxy.backend},n`) && l.split(',')[17] === 'UP');
    expect(up.map((l) => l.split(',')[1])).toEqual(['n1']);
  });

  it('a write through the HAProxy frontend lands on the master and reaches the replicas', async () => {
    const [host, port] = (group.haproxy?.frontendAddr ?? '').split(':');
    const client = new Redis({ host, port: Number(port), password: secrets.password, maxRetriesPerRequest: 1 });
    try {
      await client.set('through-haproxy', flavour);
      expect(await client.call('ROLE').then((r) => (r as string[])[0])).toBe('master');
    } finally {
      client.disconnect();
    }
    expect(await group.client(group.master.addr).get('through-haproxy')).toBe(flavour);
    for (const r of group.replicas)
      await waitFor(
        'the write on the replica',
        async () => ((await group.client(r.addr).get('through-haproxy')) === flavour ? true : undefined),
        5000,
      );
  });

  it('the config entry is a valid Sentinel deployment', async () => {
    const { SentinelConfig } = await import('../../lib/config/schema');
    const entry = SentinelConfig.parse(group.configEntry());
    expect(entry.sentinels).toEqual(group.sentinelAddrs);
    expect(entry.haproxy).toEqual({ statsSocket: group.haproxy?.statsSocket, backend: 'redis' });
    expect(entry.sentinelPassword).toBe(secrets.sentinelPassword);
  });

  it('a sentinel stops and starts again on its port, remembering the master', async () => {
    const addr = group.sentinels[2]?.addr;
    await group.stopSentinel(2);
    expect(await group.masterBySentinel()).toEqual([group.master.addr, group.master.addr, null]);
    await group.startSentinel(2);
    expect(group.sentinels[2]?.addr).toBe(addr);
    expect(await group.masterBySentinel()).toEqual([group.master.addr, group.master.addr, group.master.addr]);
  });

  it("HAProxy's backend rewritten onto a replica that answers role:master routes there only", async () => {
    const haproxy = group.haproxy;
    const replica = group.replicas[0];
    if (!haproxy || !replica) throw new Error('no haproxy or replica');
    await group.client(replica.addr).call('REPLICAOF', 'NO', 'ONE');
    await haproxy.setServers([replica.addr]);
    expect(haproxy.serverAddrs).toEqual([replica.addr]);
    await waitFor(
      'HAProxy to mark the replica UP',
      async () => ((await haproxy.upServers())[0] === replica.addr ? true : undefined),
      10_000,
    );
    expect(await haproxy.upServers()).toEqual([replica.addr]);
    // The sentinels still name the old master: the disagreement the dashboard must find.
    expect(await group.currentMaster()).toBe(group.master.addr);
  });

  it('stop() leaves no process behind', async () => {
    const pids = group.pids();
    expect(pids).toHaveLength(7);
    expect(new Set(pids).size).toBe(7);
    expect(pids.every(alive)).toBe(true);
    await group.stop();
    expect(pids.filter(alive)).toEqual([]);
  });
});
