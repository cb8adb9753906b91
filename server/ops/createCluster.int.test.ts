import { lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateClusterPreview, CreateClusterResult } from '@/lib/api/createCluster';
import type { Principal } from '@/lib/auth/access';
import type { Job } from '@/lib/jobs/types';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { type RedisProcess, startRedisProcess, stopRedisProcess } from '../../scripts/devcluster/redisProcess';
import { type Flavour, serverBin } from '../../scripts/test/flavours';
import { THREE_HOSTS, waitFor } from '../../scripts/test/helpers';
import { redisCliCheck } from '../../scripts/test/redisCliCheck';
import { ApiError } from '../api/errors';
import { currentConfig, stopPollers } from '../collect/pollers';
import { addCreatedCluster } from '../config/addCluster';
import { getJob } from '../jobs/registry';
import { previewCreateCluster, startCreateCluster } from './createCluster';

const PASSWORD = 'create-cluster-test-pw';
const admin: Principal = { kind: 'user', name: 'ada', role: 'admin' };
const hostOf = (addr: string) => addr.slice(0, addr.lastIndexOf(':'));

describe.each<Flavour>(['redis', 'valkey'])('create a cluster on %s', (flavour) => {
  let dir: string;
  let nodes: RedisProcess[] = [];
  let loaded: RedisProcess;
  let epoched: RedisProcess;
  let open: RedisProcess;
  let named: RedisProcess[] = [];
  let addrs: string[] = [];
  const clients: Redis[] = [];
  const client = (n: Pick<RedisProcess, 'host' | 'port'>) => {
    const c = new Redis({ host: n.host, port: n.port, password: PASSWORD, lazyConnect: false });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'create-cluster-int-'));
    const config = {
      // A literal password: its login is used (loginFrom), and add-to-config must not copy it.
      clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'], password: PASSWORD }],
      createTargets: ['127.0.0.0/8', 'localhost', 'no-such-host.invalid'],
      auditLogPath: 'audit.jsonl',
      dataDir: 'data',
    };
    // The config is a symlink (as with a mounted config): adding a cluster must keep it one.
    await writeFile(path.join(dir, 'real-config.json'), JSON.stringify(config, null, 2));
    await symlink(path.join(dir, 'real-config.json'), path.join(dir, 'config.json'));
    process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
    const bin = serverBin(flavour);
    const spec = { dir, password: PASSWORD, nodeTimeoutMs: 2000, serverBin: bin };
    // Listed grouped by host (a a b b c c): the masters come from the planner's interleaving, not from the order.
    nodes = await Promise.all(
      [...THREE_HOSTS, ...THREE_HOSTS].sort().map((host) => startRedisProcess({ host, ...spec })),
    );
    addrs = nodes.map((n) => `${n.host}:${n.port}`);
    [loaded, epoched, open, ...named] = await Promise.all([
      startRedisProcess({ host: '127.0.0.3', ...spec }),
      startRedisProcess({ host: '127.0.0.3', ...spec }),
      startRedisProcess({ host: '127.0.0.3', ...spec, password: undefined }),
      ...[1, 2, 3].map(() => startRedisProcess({ host: '127.0.0.1', ...spec })),
    ]);
    // A node once given an epoch and then RESET SOFT (as a node the dashboard removed): it keeps the epoch.
    await client(epoched).call('CLUSTER', 'SET-CONFIG-EPOCH', '5');
    await client(epoched).call('CLUSTER', 'RESET', 'SOFT');
    await client(epoched).call('CONFIG', 'RESETSTAT');
    // A key on a node that knows only itself: own every slot for a moment, write, give the slots up again.
    const c = client(loaded);
    await c.call('CLUSTER', 'ADDSLOTSRANGE', '0', '16383');
    await waitFor(
      'the lone node to serve',
      async () => ((await c.set('left-over', 'x').catch(() => '')) === 'OK' ? true : undefined),
      10_000,
    );
    await c.call('CLUSTER', 'DELSLOTSRANGE', '0', '16383');
    await c.call('CONFIG', 'RESETSTAT');
  }, 600_000);

  afterAll(async () => {
    for (const c of clients) c.disconnect();
    stopPollers();
    await Promise.all([...nodes, loaded, epoched, open, ...named].filter(Boolean).map((n) => stopRedisProcess(n)));
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a node holding a key, one with a config epoch, one without a password; sends only reads', async () => {
    const bad = [loaded, epoched, open].map((n) => `${n.host}:${n.port}`);
    const withLoaded = [...addrs, ...bad];
    const refused = await previewCreateCluster({ nodes: withLoaded, replicas: 1, password: PASSWORD }, admin).catch(
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).code).toBe('conflict');
    expect((refused as ApiError).message).toContain(`${bad[0]} holds 1 key`);
    expect((refused as ApiError).message).toContain(`${bad[1]} has config epoch 5: run CLUSTER RESET HARD on it first`);
    expect((refused as ApiError).message).toContain(`${bad[2]} accepts connections without a password`);
    const started = await startCreateCluster(
      { nodes: withLoaded, replicas: 1, password: PASSWORD, nodeIds: {}, confirm: withLoaded[0] ?? '' },
      admin,
    ).catch((err: unknown) => err);
    expect((started as ApiError).code).toBe('conflict');
    for (const node of [...nodes, loaded, epoched, open]) {
      const stats = String(await client(node).call('INFO', 'commandstats'));
      expect(stats).not.toMatch(/cmdstat_cluster\|(meet|addslots|addslotsrange|set-config-epoch|replicate)/);
      expect(parseClusterNodes(String(await client(node).call('CLUSTER', 'NODES')))).toHaveLength(1);
    }
  }, 60_000);

  it('refuses a first node whose host name does not resolve: MEET needs an IP', async () => {
    const refused = await previewCreateCluster(
      { nodes: ['no-such-host.invalid:7000', ...addrs.slice(1)], replicas: 1, password: PASSWORD },
      admin,
    ).catch((err: unknown) => err);
    expect((refused as ApiError).code).toBe('conflict');
    expect((refused as ApiError).message).toContain('no-such-host.invalid does not resolve to an IP');
  });

  it('refuses an address outside createTargets before any packet', async () => {
    const refused = await previewCreateCluster(
      { nodes: ['10.255.0.1:7000', ...addrs.slice(1)], replicas: 1 },
      admin,
    ).catch((err: unknown) => err);
    expect((refused as ApiError).code).toBe('target_not_allowed');
    expect((refused as ApiError).message).toContain('10.255.0.1:7000 is not inside createTargets');
  });

  it('creates 3 masters and 3 replicas as previewed: check clean, no replica on its master host', async () => {
    const preview: CreateClusterPreview = await previewCreateCluster(
      { nodes: addrs, replicas: 1, loginFrom: 'other' },
      admin,
    );
    expect(preview.layout.masters).toHaveLength(3);
    expect(preview.warnings).toEqual([]);
    // A node whose id is not the one the preview read (restarted with a fresh nodes.conf, another node there).
    const last = addrs.at(-1) ?? '';
    const stale = { ...preview.nodeIds, [last]: 'f'.repeat(40) };
    const changed = await startCreateCluster(
      { nodes: addrs, replicas: 1, loginFrom: 'other', nodeIds: stale, confirm: addrs[0] ?? '' },
      admin,
    ).catch((err: unknown) => err);
    expect((changed as ApiError).message).toContain(
      `${last} is node ${preview.nodeIds[last]} now, not ${'f'.repeat(40)}`,
    );
    const { jobId } = await startCreateCluster(
      { nodes: addrs, replicas: 1, loginFrom: 'other', nodeIds: preview.nodeIds, confirm: addrs[0] ?? '' },
      admin,
    );
    const job = await waitFor(
      'the create-cluster job to end',
      async () => {
        const j = getJob(jobId) as Job<CreateClusterResult> | undefined;
        return j && j.state !== 'running' ? j : undefined;
      },
      120_000,
      100,
    );
    expect(job.error).toBeUndefined();
    expect(job.state).toBe('succeeded');
    expect(job.steps.every((s) => s.state === 'done')).toBe(true);
    expect(JSON.stringify(job)).not.toContain(PASSWORD);

    const check = await redisCliCheck(addrs[0] ?? '', PASSWORD);
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [], unreachable: [], replicasOfUnknown: [] });
    expect(Object.values(check.replicasOf)).toEqual([1, 1, 1]);

    // Every node's own CLUSTER NODES is the preview: roles, masters and slot ranges.
    const planned = [
      ...preview.layout.masters.map((m) => ({ addr: m.addr, role: 'master', master: '', slots: [m.slots] })),
      ...preview.layout.replicas.map((r) => ({ addr: r.addr, role: 'replica', master: r.master, slots: [] })),
    ].sort((a, b) => a.addr.localeCompare(b.addr));
    for (const node of nodes) {
      const lines = parseClusterNodes(String(await client(node).call('CLUSTER', 'NODES')));
      const addrOf = new Map(lines.map((l) => [l.id, `${l.host}:${l.port}`]));
      const seen = lines
        .map((l) => ({
          addr: `${l.host}:${l.port}`,
          role: l.role,
          master: addrOf.get(l.masterId ?? '') ?? '',
          slots: l.slots,
        }))
        .sort((a, b) => a.addr.localeCompare(b.addr));
      expect(seen).toEqual(planned);
      for (const r of seen.filter((l) => l.role === 'replica'))
        expect(hostOf(r.master), r.addr).not.toBe(hostOf(r.addr));
    }
    const audit = await readFile(path.join(dir, 'audit.jsonl'), 'utf8');
    expect(audit).toContain('cluster.create.result');
    expect(audit).not.toContain(PASSWORD);

    // Add it to the config: the login's literal password is never copied, so the variable holding it is required.
    const entry = { jobId, id: `made-${flavour}`, name: `Made on ${flavour}` };
    const withoutEnv = await addCreatedCluster(entry, admin).catch((err: unknown) => err);
    expect((withoutEnv as ApiError).message).toMatch(/give passwordEnv/);
    process.env.CREATE_TEST_PW = PASSWORD;
    // Two adds of the same job at once (two admins, two tabs): one at a time, so the second sees the first's entry.
    const [added, twice] = await Promise.all([
      addCreatedCluster({ ...entry, passwordEnv: 'CREATE_TEST_PW' }, admin),
      addCreatedCluster({ ...entry, id: `twice-${flavour}`, passwordEnv: 'CREATE_TEST_PW' }, admin).catch(
        (err: unknown) => err,
      ),
    ]);
    expect(added).toMatchObject({ id: entry.id, reloaded: true });
    expect((twice as ApiError).message).toContain(`${addrs[0]} is a node of configured cluster "${entry.id}"`);
    const written = await readFile(path.join(dir, 'config.json'), 'utf8');
    expect(written.split(PASSWORD)).toHaveLength(2); // the source cluster's own entry only
    expect(JSON.parse(written).clusters.at(-1)).toEqual({
      id: entry.id,
      name: entry.name,
      seeds: addrs,
      passwordEnv: 'CREATE_TEST_PW',
    });
    expect(currentConfig().clusters.map((c) => c.id)).toContain(entry.id);
    expect((await lstat(path.join(dir, 'config.json'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(written).clusters.map((c: { id: string }) => c.id)).toEqual(['other', entry.id]);
    // Its nodes now belong to a configured cluster: a second create from them is refused before any packet.
    const again = await previewCreateCluster({ nodes: addrs, replicas: 1, loginFrom: 'other' }, admin).catch(
      (err: unknown) => err,
    );
    expect((again as ApiError).message).toContain(`is a node of configured cluster "${entry.id}"`);
  }, 180_000);

  it('a create that fails midway names what it left and the nodes to RESET HARD; after that they are usable', async () => {
    const typed = named.map((n) => `${n.host}:${n.port}`);
    // The last node refuses SET-CONFIG-EPOCH (an ACL): the masters already have their slots when the job stops.
    const last = named[2];
    if (!last) throw new Error('no node');
    await client(last).call('ACL', 'SETUSER', 'default', '-cluster|set-config-epoch');
    const preview = await previewCreateCluster({ nodes: typed, replicas: 0, password: PASSWORD }, admin);
    const { jobId } = await startCreateCluster(
      { nodes: typed, replicas: 0, password: PASSWORD, nodeIds: preview.nodeIds, confirm: typed[0] ?? '' },
      admin,
    );
    const job = await waitFor(
      'the create-cluster job to end',
      async () => {
        const j = getJob(jobId) as Job<CreateClusterResult> | undefined;
        return j && j.state !== 'running' ? j : undefined;
      },
      60_000,
      100,
    );
    expect(job.state).toBe('failed');
    expect(job.error).toContain('CLUSTER SET-CONFIG-EPOCH on each node');
    expect(job.error).toContain(`slots on ${typed.join(', ')}; config epochs on ${typed[0]}, ${typed[1]};`);
    expect(job.error).toContain(`run CLUSTER RESET HARD on ${typed.join(', ')}`);
    // As the message says: RESET HARD (epoch back to 0, slots gone), and the nodes pass the checks again.
    await client(last).call('ACL', 'SETUSER', 'default', '+@all');
    for (const node of named) await client(node).call('CLUSTER', 'RESET', 'HARD');
    await previewCreateCluster({ nodes: typed, replicas: 0, password: PASSWORD }, admin);
  }, 60_000);

  it('creates from a host name: MEET gets its IP, and nodes announcing 127.0.0.1 are the planned ones', async () => {
    const typed = named.map((n, i) => `${i === 0 ? 'localhost' : n.host}:${n.port}`);
    const preview = await previewCreateCluster({ nodes: typed, replicas: 0, password: PASSWORD }, admin);
    const { jobId } = await startCreateCluster(
      { nodes: typed, replicas: 0, password: PASSWORD, nodeIds: preview.nodeIds, confirm: typed[0] ?? '' },
      admin,
    );
    const job = await waitFor(
      'the create-cluster job to end',
      async () => {
        const j = getJob(jobId) as Job<CreateClusterResult> | undefined;
        return j && j.state !== 'running' ? j : undefined;
      },
      120_000,
      100,
    );
    expect(job.error).toBeUndefined();
    expect(job.steps.find((s) => s.name.startsWith('CLUSTER MEET'))?.detail).toContain('(127.0.0.1:');
    const first = job.result?.nodes.find((n) => n.nodeId === preview.nodeIds[typed[0] ?? '']);
    expect(first).toMatchObject({ addr: `127.0.0.1:${named[0]?.port}`, typed: typed[0] });
    const check = await redisCliCheck(`127.0.0.1:${named[0]?.port}`, PASSWORD);
    expect(check).toMatchObject({ agree: true, covered: true, openSlots: [], unreachable: [] });
  }, 120_000);
});
