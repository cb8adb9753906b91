// npm run bench:snapshot — the dashboard's poll against the hand-written floor (scripts/bench/pollFloor.ts), side by
// side on the same real cluster in one run: 6 nodes (3 masters + 3 replicas), 30 masters, 100 nodes (50 masters + 50
// replicas), each started here by the launcher and stopped at the end. Rounds alternate floor/dashboard (and which
// goes first), so machine noise hits both. Per poll: wall ms (median, p95) and this process's CPU ms.
// Options: --polls N (default 100 per side and size), --sizes 6,30,100, --skip-large (6 only).
import { mkdir, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ClusterCollector } from '../../server/collect/collector';
import { type DevClusterOptions, startDevCluster, waitFor } from '../devcluster/cluster';
import { resolvedClusterFor } from '../test/helpers';
import { PollFloor } from './pollFloor';
import { round, summarize } from './stats';

const { values } = parseArgs({
  options: {
    polls: { type: 'string', default: '100' },
    sizes: { type: 'string', default: '6,30,100' },
    'skip-large': { type: 'boolean', default: false },
    /** A CPU profile of the measured rounds only (not the cluster's start), written to this directory. */
    profile: { type: 'string' },
  },
});
const polls = Number(values.polls);
const sizes = values['skip-large'] ? [6] : values.sizes.split(',').map(Number);
const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];

const SHAPES: Record<number, { label: string; options: DevClusterOptions }> = {
  6: { label: '6 nodes (3 masters + 3 replicas)', options: { masters: 3, replicasPerMaster: 1, hosts } },
  30: { label: '30 masters', options: { masters: 30, replicasPerMaster: 0, hosts, readyTimeoutMs: 60_000 } },
  100: {
    label: '100 nodes (50 masters + 50 replicas)',
    options: { masters: 50, replicasPerMaster: 1, hosts, readyTimeoutMs: 120_000, nodeTimeoutMs: 15_000 },
  },
};

/** Wall and CPU of one awaited call. */
async function timed(work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

async function measureReal(size: number) {
  const shape = SHAPES[size] ?? {
    label: `${size} masters`,
    options: { masters: size, replicasPerMaster: 0, hosts, readyTimeoutMs: 120_000 },
  };
  const started = Date.now();
  const dev = await startDevCluster(shape.options);
  console.log(`${shape.label}: ${dev.nodes.length} nodes up in ${Date.now() - started} ms`);
  const collector = new ClusterCollector(resolvedClusterFor(dev, { nodeDeadlineMs: 1000 }));
  const floor = new PollFloor(
    dev.nodes.map((n) => n.addr),
    dev.password,
  );
  try {
    await waitFor(
      'every node reachable',
      async () => ((await collector.collect()).summary.reachable === dev.nodes.length ? true : undefined),
      30_000,
    );
    // Warm-up: connections, JIT, the collector's first CONFIG GET / LATENCY round.
    for (let i = 0; i < 10; i++) {
      await floor.poll();
      await collector.collect();
    }
    const floorWall: number[] = [];
    const floorCpu: number[] = [];
    const dashWall: number[] = [];
    const dashCpu: number[] = [];
    const pollDashboard = async () => {
      const snap = await collector.collect();
      if (snap.summary.reachable !== dev.nodes.length)
        throw new Error(`only ${snap.summary.reachable} of ${dev.nodes.length} nodes answered`);
    };
    const profiler = values.profile ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.setSamplingInterval', { interval: 100 });
      await profiler.post('Profiler.start');
    }
    for (let i = 0; i < polls; i++) {
      const order = i % 2 === 0 ? (['floor', 'dashboard'] as const) : (['dashboard', 'floor'] as const);
      for (const side of order) {
        if (side === 'floor') {
          const t = await timed(() => floor.poll());
          floorWall.push(t.wall);
          floorCpu.push(t.cpu);
        } else {
          const t = await timed(pollDashboard);
          dashWall.push(t.wall);
          dashCpu.push(t.cpu);
        }
      }
    }
    if (profiler && values.profile) {
      const { profile } = await profiler.post('Profiler.stop');
      await mkdir(values.profile, { recursive: true });
      await writeFile(`${values.profile}/snapshot-${size}.cpuprofile`, JSON.stringify(profile));
      profiler.disconnect();
    }
    const f = summarize(floorWall);
    const d = summarize(dashWall);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      cluster: shape.label,
      nodes: dev.nodes.length,
      polls,
      floorMsPerPoll: round(f.median),
      dashboardMsPerPoll: round(d.median),
      ratio: round(d.median / f.median),
      floorCpuMsPerPoll: round(mean(floorCpu)),
      dashboardCpuMsPerPoll: round(mean(dashCpu)),
      floorP95Ms: round(f.p95),
      dashboardP95Ms: round(d.p95),
      dashboardMaxMs: round(d.max),
    };
  } finally {
    floor.close();
    collector.close();
    await dev.stop();
  }
}

const real = [];
for (const size of sizes) real.push(await measureReal(size));
console.table(real);

// Simulated sizes (300 / 1,000 nodes, scripts/simcluster): the lead wires scripts/bench/snapshotSimulated.ts in here,
// e.g. `const simulated = values['skip-large'] ? [] : await measureSimulated([300, 1000]);`, and adds it to `out`.
const simulated: unknown[] = [];

await mkdir('bench-results', { recursive: true });
const out = {
  bench: 'snapshot',
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg().map((l) => round(l)) },
  real,
  simulated,
};
await writeFile('bench-results/snapshot.json', `${JSON.stringify(out, null, 2)}\n`);
console.log('written to bench-results/snapshot.json');
