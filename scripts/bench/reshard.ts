import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Principal } from '../../lib/auth/access';
import type { ReshardJob } from '../../lib/jobs/types';
import { ClusterPoller } from '../../server/collect/poller';
import { stopPollers } from '../../server/collect/pollers';
import { getJob } from '../../server/jobs/registry';
import { startReshardOn } from '../../server/ops/reshard';
import { startDevCluster, waitFor } from '../devcluster/cluster';
import { type Flavour, serverBin } from '../test/flavours';
import { resolvedClusterFor, THREE_HOSTS } from '../test/helpers';
import { redisCliCheck } from '../test/redisCliCheck';
import { fillSlots } from '../test/slotData';
import { between, epoch, latency, redisCli, startWriter } from './moveBench';
import { percentile, round } from './stats';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '2' },
    flavour: { type: 'string', default: 'redis' },
    rate: { type: 'string', default: '2000' },
  },
});
const rounds = Number(values.rounds);
const flavour = values.flavour as Flavour;
const rate = Number(values.rate);
const PASSWORD = 'bench-reshard-pw';
const SLOTS = 1820;
const operator: Principal = { kind: 'user', name: 'bench', role: 'operator' };

const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-reshard-'));
await writeFile(
  path.join(dir, 'config.json'),
  JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
);
process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');

const dev = await startDevCluster({
  masters: 3,
  replicasPerMaster: 1,
  hosts: THREE_HOSTS,
  nodeTimeoutMs: 5000,
  password: PASSWORD,
  serverBin: serverBin(flavour),
});
const poller = new ClusterPoller(resolvedClusterFor(dev, { id: 'bench', pollIntervalMs: 250, nodeDeadlineMs: 1000 }));

type Method = 'redis-cli (pipeline 10)' | 'redis-cli (pipeline 1000)' | 'dashboard job';
const METHODS: Method[] = ['redis-cli (pipeline 10)', 'redis-cli (pipeline 1000)', 'dashboard job'];

try {
  const t0 = performance.now();
  const written = await fillSlots(
    dev,
    Array.from({ length: 16384 }, (_, i) => i),
    (slot) => (slot < 576 ? 62 : 61),
  );
  console.log(`${flavour}: ${written} keys of 100 B written in ${Math.round(performance.now() - t0)} ms`);
  poller.start();
  await waitFor('all nodes reachable', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 20_000);
  const masters = (poller.latest?.nodes ?? [])
    .filter((n) => n.role === 'master')
    .sort((x, y) => (x.slots[0]?.[0] ?? 0) - (y.slots[0]?.[0] ?? 0));
  const [a, b] = masters;
  if (!a || !b) throw new Error('no masters');
  const writer = startWriter(
    dir,
    masters.map((m) => ({ host: m.host, port: m.port })),
    PASSWORD,
    rate,
  );

  /** Check clean, and the poller's snapshot showing it (the job's pre-flight reads the snapshot). */
  const settle = async () => {
    await waitFor(
      'redis-cli --cluster check to be clean',
      async () => {
        const r = await redisCliCheck(a.addr, PASSWORD);
        return r.agree && r.openSlots.length === 0 && r.covered ? true : undefined;
      },
      30_000,
      250,
    );
    const polls = poller.polls;
    await waitFor('two fresh polls', async () => (poller.polls >= polls + 2 ? true : undefined), 10_000, 20);
    await new Promise((r) => setTimeout(r, 1000));
  };

  const idleFrom = epoch() + 1000;
  await new Promise((r) => setTimeout(r, 4000));
  const idleTo = epoch();

  const keysIn = async (addr: string) => {
    const node = dev.nodes.find((n) => n.addr === addr);
    if (!node) throw new Error(`no node ${addr}`);
    const pipeline = dev.client(node).pipeline();
    for (let slot = 0; slot < SLOTS; slot++) pipeline.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot));
    return ((await pipeline.exec()) ?? []).reduce((sum, [, n]) => sum + Number(n), 0);
  };

  /** MIGRATE's calls and time on a node so far (INFO commandstats): how long the source was busy moving keys. */
  const migrateStats = async (addr: string) => {
    const node = dev.nodes.find((n) => n.addr === addr);
    if (!node) throw new Error(`no node ${addr}`);
    const info = String(await dev.client(node).info('commandstats'));
    const line = /cmdstat_migrate:calls=(\d+),usec=(\d+)/.exec(info);
    return { calls: Number(line?.[1] ?? 0), usec: Number(line?.[2] ?? 0) };
  };

  const runs: Array<{
    method: Method;
    keys: number;
    /** MIGRATE commands on the source, and the ms it spent in them (it serves nothing else meanwhile). */
    migrates: number;
    migrateMs: number;
    ms: number;
    from: number;
    to: number;
    round: number;
    path: string;
  }> = [];
  let k = 0;
  for (let r = 0; r < rounds; r++) {
    for (const method of METHODS) {
      const [from, to] = k++ % 2 === 0 ? [a, b] : [b, a];
      await settle();
      const keys = await keysIn(from.addr);
      const migrateBefore = await migrateStats(from.addr);
      let detail = '';
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const startedAt = epoch();
      if (method === 'dashboard job') {
        const { jobId } = await startReshardOn(
          poller,
          { target: to.id, count: SLOTS, sources: [from.id], confirm: 'Test cluster' },
          operator,
        );
        const job = await waitFor(
          'the job to end',
          async () => {
            const j = getJob(jobId) as ReshardJob | undefined;
            return j && j.state !== 'running' ? j : undefined;
          },
          600_000,
          10,
        );
        if (job.state !== 'succeeded') throw new Error(`the job ended ${job.state}: ${job.error}`);
        detail = ` (${job.steps.map((st) => `${st.name} ${st.durationMs ?? st.detail?.match(/in (\d+) ms/)?.[1] ?? '?'} ms`).join(', ')})`;
      } else {
        const cpu = await redisCli(
          [
            '--cluster',
            'reshard',
            from.addr,
            '--cluster-from',
            from.id,
            '--cluster-to',
            to.id,
            '--cluster-slots',
            String(SLOTS),
            '--cluster-yes',
            ...(method === 'redis-cli (pipeline 1000)' ? ['--cluster-pipeline', '1000'] : []),
          ],
          PASSWORD,
        );
        detail = ` (redis-cli ${cpu} ms CPU)`;
      }
      const ended = performance.now();
      const endedAt = epoch();
      const cpu = process.cpuUsage(cpuBefore);
      console.log(
        `  this process (the job, or only the poller for redis-cli): ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU`,
      );
      if ((await keysIn(from.addr)) !== 0) throw new Error(`${method} left keys in the moved slots on the source`);
      const migrateAfter = await migrateStats(from.addr);
      runs.push({
        method,
        keys,
        migrates: migrateAfter.calls - migrateBefore.calls,
        migrateMs: (migrateAfter.usec - migrateBefore.usec) / 1000,
        ms: ended - started,
        from: startedAt,
        to: endedAt,
        round: r + 1,
        path: `${from.addr} -> ${to.addr}${detail}`,
      });
      console.log(`round ${r + 1} ${method}: ${keys} keys in ${Math.round(ended - started)} ms`);
    }
  }
  const writes = await writer.stop();
  const idle = latency(between(writes.samples, idleFrom, idleTo));
  const results = runs.map((x) => ({ ...x, lat: latency(between(writes.samples, x.from, x.to)) }));
  for (const x of results)
    console.log(
      `round ${x.round} ${x.method.padEnd(26)} ${x.path}: ${x.keys} keys in ${Math.round(x.ms)} ms = ${Math.round((x.keys * 1000) / x.ms)} keys/s; ${x.migrates} MIGRATEs, the source busy in them ${Math.round(x.migrateMs)} ms (${Math.round((100 * x.migrateMs) / x.ms)}% of the wall time); writer p50 ${round(x.lat.p50)} ms, p99 ${round(x.lat.p99)} ms, max ${round(x.lat.max ?? 0)} ms (${x.lat.n} writes)`,
    );

  const median = (xs: number[]) =>
    percentile(
      [...xs].sort((x, y) => x - y),
      50,
    );
  const summary = METHODS.map((method) => {
    const runs = results.filter((x) => x.method === method);
    return {
      method,
      keysPerSec: Math.round(median(runs.map((x) => (x.keys * 1000) / x.ms))),
      p99: round(median(runs.map((x) => x.lat.p99))),
      max: round(Math.max(...runs.map((x) => x.lat.max ?? 0))),
      migrateShare: Math.round(median(runs.map((x) => (100 * x.migrateMs) / x.ms))),
    };
  });
  const best = Math.max(...summary.filter((s) => s.method !== 'dashboard job').map((s) => s.keysPerSec));
  const job = summary.find((s) => s.method === 'dashboard job');
  console.log(
    `\n${flavour}, 1M keys x 100 B, ${SLOTS} slots per move, ${rounds} round(s), medians; writer ~${rate} new-key SETs/s, idle p99 ${round(idle.p99)} ms`,
  );
  console.log('| method | keys/s | source busy in MIGRATE | writer p99 during the move | writer max |');
  console.log('|---|---|---|---|---|');
  for (const s of summary)
    console.log(`| ${s.method} | ${s.keysPerSec} | ${s.migrateShare}% of the time | ${s.p99} ms | ${s.max} ms |`);
  console.log(
    `\ndashboard job / best redis-cli: ${round((job?.keysPerSec ?? 0) / best)}x; writer: ${writes.acked} writes acknowledged, ${writes.lost} lost`,
  );
  if (writes.lost > 0) process.exitCode = 1;
} finally {
  poller.stop();
  stopPollers();
  await dev.stop();
  await rm(dir, { recursive: true, force: true });
}
