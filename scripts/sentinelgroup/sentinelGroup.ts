// startSentinelGroup: the entry point of the harness. See group.ts for the handle it returns.
import { mkdir, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { waitFor } from '../devcluster/cluster';
import { startRedisProcess } from '../devcluster/redisProcess';
import { dataNode, SentinelGroup, type SentinelGroupOptions } from './group';
import { HaproxyGroupProcess } from './haproxy';
import { connectSentinel, startSentinelProcess } from './sentinelProcess';

export type { GroupDataNode, SentinelConfigEntry, SentinelGroupHaproxyOptions, SentinelGroupOptions } from './group';
export { SentinelGroup } from './group';
export type { HaproxyGroupProcess, HaproxyStatRow } from './haproxy';
export { showStat } from './haproxy';
export type { SentinelProcess } from './sentinelProcess';

const DEFAULT_HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];

const field = (info: string, name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();

/**
 * Start a Sentinel deployment and return once it is settled: every replica linked, every sentinel knowing every other
 * sentinel and every replica, and (with HAProxy) exactly the master UP in the backend. On failure, stops what started.
 */
export async function startSentinelGroup(opts: SentinelGroupOptions = {}): Promise<SentinelGroup> {
  const hosts = opts.hosts?.length ? opts.hosts : DEFAULT_HOSTS;
  const hostAt = (i: number) => hosts[i % hosts.length] ?? '127.0.0.1';
  const replicaCount = opts.replicaHosts?.length ?? opts.replicas ?? 2;
  const sentinelCount = opts.sentinelHosts?.length ?? opts.sentinels ?? 3;
  if (sentinelCount < 1) throw new Error('a Sentinel group needs at least one sentinel');
  const dir = await mkdtemp(path.join(opts.baseDir ?? os.tmpdir(), 'sentinelgroup-'));
  const group = new SentinelGroup(dir, opts.masterName ?? 'mymaster', opts);
  try {
    await form(group, opts, {
      master: opts.masterHost ?? hostAt(0),
      replicas: Array.from({ length: replicaCount }, (_, i) => opts.replicaHosts?.[i] ?? hostAt(i + 1)),
      sentinels: Array.from({ length: sentinelCount }, (_, i) => opts.sentinelHosts?.[i] ?? hostAt(i)),
    });
  } catch (err) {
    await group.stop();
    throw err;
  }
  return group;
}

async function form(
  group: SentinelGroup,
  opts: SentinelGroupOptions,
  layout: { master: string; replicas: string[]; sentinels: string[] },
) {
  const readyMs = opts.readyTimeoutMs ?? 30_000;
  const dataSpec = (host: string, replicaOf?: string) => ({
    host,
    dir: group.dir,
    password: opts.password,
    nodeTimeoutMs: 5000,
    serverBin: opts.serverBin,
    extraConfig: {
      'cluster-enabled': 'no',
      'replica-announce-ip': host,
      ...(replicaOf ? { replicaof: replicaOf } : {}),
      ...opts.extraConfig,
    },
  });
  const master = await startRedisProcess(dataSpec(layout.master));
  group.dataNodes.push(dataNode('n1', 'master', master));
  const replicas = await Promise.all(
    layout.replicas.map((host) => startRedisProcess(dataSpec(host, `${master.host} ${master.port}`))),
  );
  group.dataNodes.push(...replicas.map((p, i) => dataNode(`n${i + 2}`, 'replica', p)));
  await waitFor(
    'every replica to link to the master',
    async () => {
      const info = String(await group.client(group.master.addr).call('INFO', 'replication'));
      if (Number(field(info, 'connected_slaves')) !== replicas.length) return undefined;
      for (const r of group.replicas) {
        const own = String(await group.client(r.addr).call('INFO', 'replication'));
        if (field(own, 'master_link_status') !== 'up') return undefined;
      }
      return true;
    },
    readyMs,
  );

  const quorum = Math.min(opts.quorum ?? 2, layout.sentinels.length);
  const sentinelDir = group.dir;
  await mkdir(sentinelDir, { recursive: true });
  const sentinels = await Promise.all(
    layout.sentinels.map((host) =>
      startSentinelProcess({
        host,
        dir: sentinelDir,
        masterName: group.masterName,
        masterHost: master.host,
        masterPort: master.port,
        quorum,
        downAfterMs: opts.downAfterMs ?? 2000,
        failoverTimeoutMs: opts.failoverTimeoutMs ?? 10_000,
        password: opts.password,
        sentinelPassword: opts.sentinelPassword,
        serverBin: opts.serverBin,
        sentinelBin: opts.sentinelBin,
      }),
    ),
  );
  group.sentinels.push(...sentinels);
  await waitFor(
    'every sentinel to know every other sentinel and every replica',
    async () => {
      for (const s of sentinels) {
        const client = connectSentinel(s.host, s.port, opts.sentinelPassword);
        try {
          await client.connect();
          const peers = (await client.call('SENTINEL', 'SENTINELS', group.masterName)) as unknown[];
          const known = (await client.call('SENTINEL', 'REPLICAS', group.masterName)) as unknown[];
          if (peers.length !== sentinels.length - 1 || known.length !== replicas.length) return undefined;
        } finally {
          client.disconnect();
        }
      }
      return true;
    },
    readyMs,
    200,
  );

  if (opts.haproxy === false) return;
  const h = typeof opts.haproxy === 'object' ? opts.haproxy : {};
  const dir = path.join(group.dir, 'haproxy');
  await mkdir(dir, { recursive: true });
  const haproxy = await HaproxyGroupProcess.start({
    host: h.host ?? layout.master,
    dir,
    backend: h.backend ?? 'redis',
    servers: group.dataNodes.map((n) => n.addr),
    password: opts.password,
    checkInterMs: h.checkInterMs ?? 500,
    fall: h.fall ?? 2,
    rise: h.rise ?? 2,
    haproxyBin: h.bin ?? 'haproxy',
    ...(h.checkComment ? { checkComment: h.checkComment } : {}),
  });
  group.haproxy = haproxy;
  await waitFor(
    'HAProxy to route to the master only',
    async () => {
      const up = await haproxy.upServers();
      return up.length === 1 && up[0] === group.master.addr ? true : undefined;
    },
    readyMs,
  );
}
