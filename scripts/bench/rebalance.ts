import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Principal } from '../../lib/auth/access';
import type { ReshardJob } from '../../lib/jobs/types';
import { ClusterPoller } from '../../server/collect/poller';
import { stopPollers } from '../../server/collect/pollers';
import { getJob } from '../../server/jobs/registry';
import { startRebalanceOn } from '../../server/ops/rebalance';
import { type DevNode, startDevCluster, waitFor } from '../devcluster/cluster';
import { type Flavour, serverBin } from '../test/flavours';
import { resolvedClusterFor, THREE_HOSTS } from '../test/helpers';
import { redisCliCheck } from '../test/redisCliCheck';
import { fillSlots } from '../test/slotData';
import { between, epoch, latency, redisCli, startWriter } from './moveBench';
import { percentile, round } from './stats';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '1' },
    flavour: { type: 'string', default: 'redis' },
    rate: { type: 'string', default: '2000' },
  },
});
const rounds = Number(values.rounds);
const flavour = values.flavour as Flavour;
const rate = Number(values.rate);
const PASSWORD = 'bench-rebalance-pw';
const operator: Principal = { kind: 'user', name: 'bench', role: 'operator' };

const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-rebalance-'));
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
  // A master drained of its last slot stays an (empty) master, so every run starts from the same shape.
  extraConfig: { 'cluster-allow-replica-migration': 'no' },
});
const poller = new ClusterPoller(resolvedClusterFor(dev, { id: 'bench', pollIntervalMs: 250, nodeDeadlineMs: 1000 }));

type Method = 'redis-cli (pipeline 10)' | 'redis-cli (pipeline 1000)' | 'dashboard job';
const METHODS: Method[] = ['redis-cli (pipeline 10)', 'redis-cli (pipeline 1000)', 'dashboard job'];

try {
  const t0 = performance.now();
  // 4,240 slots x 16 keys + the rest x 15 = 250,000 keys.
  const written = await fillSlots(
    dev,
    Array.from({ length: 16384 }, (_, i) => i),
    (slot) => (slot < 4240 ? 16 : 15),
  );
  console.log(`${flavour}: ${written} keys of 100 B written in ${Math.round(performance.now() - t0)} ms`);
  const [seed] = dev.masters;
  if (!seed) throw new Error('no masters');

  // The empty 4th master, met from a master; every node lists it and it says cluster_state:ok.
  const fresh: DevNode = await dev.startEmptyNode('127.0.0.4');
  await dev.client(seed).call('CLUSTER', 'MEET', fresh.host, String(fresh.port));
  await waitFor(
    'every node to list the 4th master and it to report cluster_state:ok',
    async () => {
      for (const node of dev.nodes) {
        const lines = (await dev.clusterNodes(node)).trim().split('\n');
        const flags =
          lines
            .find((l) => l.startsWith(fresh.id))
            ?.split(' ')[2]
            ?.split(',') ?? [];
        if (lines.length !== dev.nodes.length || !flags.includes('master') || flags.includes('handshake'))
          return undefined;
      }
      return /cluster_state:ok/.test(await dev.clusterInfo(fresh)) ? true : undefined;
    },
    30_000,
    200,
  );
  poller.start();
  await waitFor(
    'all 7 nodes reachable',
    async () => (poller.latest?.summary.reachable === 7 ? true : undefined),
    20_000,
  );
  const masters = dev.masters;
  const writer = startWriter(
    dir,
    masters.map((m) => ({ host: m.host, port: m.port })),
    PASSWORD,
    rate,
  );

  /** Check clean (every node agreeing, the 4 masters listed), and the poller's snapshot showing it. */
  const settle = async () => {
    await waitFor(
      'redis-cli --cluster check to be clean',
      async () => {
        const r = await redisCliCheck(seed.addr, PASSWORD);
        return r.agree && r.openSlots.length === 0 && r.covered && r.replicasOf[fresh.addr] !== undefined
          ? true
          : undefined;
      },
      30_000,
      250,
    );
    const polls = poller.polls;
    await waitFor('two fresh polls', async () => (poller.polls >= polls + 2 ? true : undefined), 10_000, 20);
    await new Promise((r) => setTimeout(r, 1000));
  };

  /** The 4th master's slots (from its own CLUSTER NODES line) and keys (DBSIZE). */
  const freshState = async () => {
    const line = (await dev.clusterNodes(fresh)).split('\n').find((l) => l.startsWith(fresh.id)) ?? '';
    const fields = line.trim().split(' ');
    const slots = fields
      .slice(8)
      .filter((f) => !f.startsWith('['))
      .reduce((sum, f) => {
        const [lo, hi] = f.split('-').map(Number);
        return sum + ((hi ?? lo ?? 0) - (lo ?? 0) + 1);
      }, 0);
    return { role: fields[2] ?? '', slots, keys: Number(await dev.client(fresh).dbsize()) };
  };

  /** Untimed: every slot of the 4th master back to the three (redis-cli, weight 0), until it is an empty master. */
  const drain = async () => {
    await settle();
    if ((await freshState()).slots > 0)
      await redisCli(
        ['--cluster', 'rebalance', seed.addr, '--cluster-weight', `${fresh.id}=0`, '--cluster-pipeline', '1000'],
        PASSWORD,
      );
    const state = await freshState();
    if (!/master/.test(state.role) || state.slots !== 0 || state.keys !== 0)
      throw new Error(`the drain left the 4th master ${JSON.stringify(state)}`);
    await settle();
  };

  await settle();
  const idleFrom = epoch() + 1000;
  await new Promise((r) => setTimeout(r, 4000));
  const idleTo = epoch();

  const runs: Array<{
    method: Method;
    slots: number;
    keys: number;
    ms: number;
    from: number;
    to: number;
    round: number;
    detail: string;
  }> = [];
  for (let r = 0; r < rounds; r++) {
    for (const method of METHODS) {
      await drain();
      let detail = '';
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const startedAt = epoch();
      if (method === 'dashboard job') {
        const { jobId } = await startRebalanceOn(poller, { useEmptyMasters: true, confirm: 'Test cluster' }, operator);
        const job = await waitFor(
          'the job to end',
          async () => {
            const j = getJob(jobId) as ReshardJob | undefined;
            return j && j.state !== 'running' ? j : undefined;
          },
          900_000,
          10,
        );
        if (job.state !== 'succeeded') throw new Error(`the job ended ${job.state}: ${job.error}`);
        detail = ` (${job.steps.map((st) => `${st.name} ${st.durationMs ?? st.detail?.match(/in (\d+) ms/)?.[1] ?? '?'} ms`).join(', ')})`;
      } else {
        const cpu = await redisCli(
          [
            '--cluster',
            'rebalance',
            seed.addr,
            '--cluster-use-empty-masters',
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
      const after = await freshState();
      if (after.slots === 0) throw new Error(`${method} moved no slot to the 4th master`);
      runs.push({
        method,
        slots: after.slots,
        keys: after.keys,
        ms: ended - started,
        from: startedAt,
        to: endedAt,
        round: r + 1,
        detail,
      });
      console.log(
        `round ${r + 1} ${method}: ${after.slots} slots, ${after.keys} keys on the 4th master in ${Math.round(ended - started)} ms`,
      );
    }
  }
  const writes = await writer.stop();
  const idle = latency(between(writes.samples, idleFrom, idleTo));
  const results = runs.map((x) => ({ ...x, lat: latency(between(writes.samples, x.from, x.to)) }));
  for (const x of results)
    console.log(
      `round ${x.round} ${x.method.padEnd(26)}${x.detail}: ${x.slots} slots / ${x.keys} keys to ${fresh.addr} in ${Math.round(x.ms)} ms = ${Math.round((x.keys * 1000) / x.ms)} keys/s; writer p50 ${round(x.lat.p50)} ms, p99 ${round(x.lat.p99)} ms, max ${round(x.lat.max ?? 0)} ms (${x.lat.n} writes)`,
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
      ms: Math.round(median(runs.map((x) => x.ms))),
      slots: median(runs.map((x) => x.slots)),
      p99: round(median(runs.map((x) => x.lat.p99))),
      max: round(Math.max(...runs.map((x) => x.lat.max ?? 0))),
    };
  });
  const best = Math.min(...summary.filter((s) => s.method !== 'dashboard job').map((s) => s.ms));
  const job = summary.find((s) => s.method === 'dashboard job');
  console.log(
    `\n${flavour}, 250k keys x 100 B, an empty 4th master filled by rebalance --cluster-use-empty-masters, ${rounds} round(s), medians; writer ~${rate} new-key SETs/s, idle p99 ${round(idle.p99)} ms`,
  );
  console.log('| method | time (ms, median) | slots moved | writer p99 during the run | writer max |');
  console.log('|---|---|---|---|---|');
  for (const s of summary) console.log(`| ${s.method} | ${s.ms} | ${s.slots} | ${s.p99} ms | ${s.max} ms |`);
  console.log(
    `\ndashboard job / best redis-cli time: ${((job?.ms ?? 0) / best).toFixed(2)} (goal <= 0.67); writer: ${writes.acked} writes acknowledged, ${writes.lost} lost`,
  );
  if (writes.lost > 0) process.exitCode = 1;
} finally {
  poller.stop();
  stopPollers();
  await dev.stop();
  await rm(dir, { recursive: true, force: true });
}
