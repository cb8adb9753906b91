// npm run bench:failover — on one cluster, time from request to "every node agrees" for the guided failover against
// redis-cli CLUSTER FAILOVER plus polling CLUSTER NODES on every node (pre-opened connections, every 10 ms).
// Options: --rounds N (default 6, alternating the two methods over the three shards).
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type { FailoverResult } from '../../lib/jobs/types';
import { parseClusterNodes } from '../../lib/redis/clusterNodes';
import { ClusterPoller } from '../../server/collect/poller';
import { stopPollers } from '../../server/collect/pollers';
import { startJob } from '../../server/jobs/registry';
import { runFailover } from '../../server/ops/failover';
import { planOn } from '../../server/ops/startFailover';
import { connectTo, startDevCluster, waitFor } from '../devcluster/cluster';
import { resolvedClusterFor, THREE_HOSTS } from '../test/helpers';
import { round, summarize } from './stats';

const run = promisify(execFile);
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '6' } } });
const rounds = Number(values.rounds);

// The failover job writes an audit line: give it a config whose only cluster is not this one.
const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-failover-'));
await writeFile(
  path.join(dir, 'config.json'),
  JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
);
process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');

const dev = await startDevCluster({ masters: 3, replicasPerMaster: 1, hosts: THREE_HOSTS, nodeTimeoutMs: 1000 });
const poller = new ClusterPoller(
  resolvedClusterFor(dev, { pollIntervalMs: 250, nodeDeadlineMs: 500, latencySampleMs: 0 }),
);
const watchers = new Map(dev.nodes.map((n) => [n.id, connectTo(n.host, n.port)]));
poller.start();

function shardPair(index: number) {
  const masters = (poller.latest?.nodes ?? [])
    .filter((n) => n.role === 'master' && n.slotCount > 0)
    .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
  const master = masters[index];
  const replica = poller.latest?.nodes.find((n) => n.role === 'replica' && n.masterId === master?.id);
  if (!master || !replica) throw new Error('no pair');
  return { master, replica };
}

async function everyNodeAgrees(replicaId: string): Promise<boolean> {
  const views = await Promise.all([...watchers.values()].map((c) => c.call('CLUSTER', 'NODES').then(String)));
  return views.every((v) => parseClusterNodes(v).find((l) => l.id === replicaId)?.role === 'master');
}

async function baseline(replicaAddr: string, replicaId: string): Promise<number> {
  const started = performance.now();
  const [host, port] = replicaAddr.split(':');
  await run('redis-cli', ['-h', host ?? '', '-p', port ?? '', 'CLUSTER', 'FAILOVER']);
  await waitFor('every node to agree', async () => ((await everyNodeAgrees(replicaId)) ? true : undefined), 30_000, 10);
  return performance.now() - started;
}

/** ms from the request to the job seeing every node agree (the job's clock starts with the request). */
async function guided(replicaId: string): Promise<number> {
  const job = startJob<FailoverResult>('failover', 'bench', 'bench', (h) =>
    runFailover(poller, h, replicaId, 'default'),
  );
  const agreed = await waitFor(
    'the job to see agreement',
    async () => job.result?.timings.agreedMs ?? (job.state === 'failed' ? -1 : undefined),
    30_000,
    5,
  );
  if (agreed < 0) throw new Error(`guided failover failed: ${job.error}`);
  await waitFor('the job to end', async () => (job.state !== 'running' ? true : undefined), 30_000, 20);
  return agreed;
}

try {
  await waitFor('all nodes reachable', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 15_000);
  const times: Record<'guided' | 'baseline', number[]> = { guided: [], baseline: [] };
  for (let i = 0; i < rounds * 2; i++) {
    const method = i % 2 === 0 ? 'guided' : 'baseline';
    const { replica } = shardPair(i % 3);
    await waitFor(
      'the shard to settle',
      async () => (planOn(poller, { replicaId: replica.id }).allowed ? true : undefined),
      30_000,
      50,
    );
    const ms = method === 'guided' ? await guided(replica.id) : await baseline(replica.addr, replica.id);
    times[method].push(ms);
    console.log(`${method.padEnd(8)} ${replica.addr} ${ms.toFixed(1)} ms`);
    await waitFor(
      'the roles to show in the snapshot',
      async () => (poller.latest?.nodes.find((n) => n.id === replica.id)?.role === 'master' ? true : undefined),
      10_000,
      20,
    );
  }
  const g = summarize(times.guided);
  const b = summarize(times.baseline);
  const result = {
    bench: 'failover',
    at: new Date().toISOString(),
    rounds,
    guidedMedianMs: round(g.median, 1),
    guidedMaxMs: round(g.max, 1),
    baselineMedianMs: round(b.median, 1),
    baselineMaxMs: round(b.max, 1),
    ratioOfMedians: round(g.median / b.median, 2),
    guidedMs: times.guided.map((t) => round(t, 1)),
    baselineMs: times.baseline.map((t) => round(t, 1)),
  };
  console.table(Object.entries(result).map(([k, v]) => ({ measure: k, value: Array.isArray(v) ? v.join(', ') : v })));
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/failover.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log('written to bench-results/failover.json');
} finally {
  poller.stop();
  stopPollers();
  for (const c of watchers.values()) c.disconnect();
  await dev.stop();
  await rm(dir, { recursive: true, force: true });
}
