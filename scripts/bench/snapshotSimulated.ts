// The simulated rows of bench:snapshot: a ClusterPoller (the dashboard's own poll loop, its 1 s interval and PING
// sampling as configured by default) against N simulated nodes for a window, reporting poll wall times, whether each
// poll fit its interval, this process's CPU and the simulator's apart.
//   npm run bench:sim -- [--nodes 300,1000] [--seconds 60]   (writes bench-results/snapshot-simulated.json)
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { ClusterSnapshot } from '../../lib/cluster/types';
import { ClusterPoller } from '../../server/collect/poller';
import type { ResolvedCluster } from '../../server/config/load';
import { waitFor } from '../devcluster/cluster';
import { startSimCluster } from '../simcluster/index';
import { resolvedClusterFor } from '../test/helpers';
import { round, summarize } from './stats';

export interface SimulatedPollResult {
  cluster: string;
  nodes: number;
  seconds: number;
  pollIntervalMs: number;
  polls: number;
  wallMedianMs: number;
  wallP95Ms: number;
  wallMaxMs: number;
  /** Polls whose wall time exceeded the interval. */
  pollsOverInterval: number;
  everyPollWithinInterval: boolean;
  /** Fewest nodes a poll in the window found reachable (should equal nodes). */
  minReachable: number;
  /** This process (the poller) as % of one core, averaged over the window. */
  dashboardCpuPercent: number;
  dashboardCpuMsPerPoll: number;
  /** The simulator process, % of one core over the same window. */
  simulatorCpuPercent: number;
  /** Time from start until a poll showed every node reachable; null when none did within 90 s. */
  completeAfterMs: number | null;
}

export interface MeasureOptions {
  replicasPerMaster?: number;
  /** Overrides for the polled cluster (pollIntervalMs, latencySampleMs, nodeDeadlineMs…); defaults as the config's. */
  cluster?: Partial<ResolvedCluster>;
  log?: (line: string) => void;
}

/** Starts `nodes` simulated nodes, polls them with a ClusterPoller for `seconds` after they are all shown, stops. */
export async function measureSimulated(
  nodes: number,
  seconds = 60,
  options: MeasureOptions = {},
): Promise<SimulatedPollResult> {
  const replicasPerMaster = options.replicasPerMaster ?? 1;
  const masters = Math.max(1, Math.round(nodes / (1 + replicasPerMaster)));
  const log = options.log ?? (() => {});
  const sim = await startSimCluster({ masters, replicasPerMaster, password: 'sim-bench' });
  const total = sim.nodes.length;
  const cluster = resolvedClusterFor(sim, {
    id: `sim-${total}`,
    latencySampleMs: 250,
    pollIntervalMs: 1000,
    nodeDeadlineMs: 1000,
    ...options.cluster,
  });
  const poller = new ClusterPoller(cluster);
  const started = Date.now();
  const seen: ClusterSnapshot[] = [];
  let measuring = false;
  poller.subscribe((snapshot) => {
    if (measuring) seen.push(snapshot);
  });
  try {
    poller.start();
    // Measured from when every node was shown reachable in one poll, or after 90 s if no poll got there (a poll too
    // slow for its deadline): the window then says so (minReachable, completeAfterMs null).
    const complete = await waitFor(
      `all ${total} simulated nodes shown reachable`,
      async () => (poller.latest?.summary.reachable === total ? true : undefined),
      90_000,
      200,
    ).catch(() => false);
    const completeAfterMs = complete ? Date.now() - started : null;
    log(
      `${total} simulated nodes: ${complete ? `complete after ${completeAfterMs} ms` : 'never all reachable in 90 s'}; measuring ${seconds} s`,
    );
    const cpu0 = process.cpuUsage();
    const simCpu0 = await sim.cpuUsage();
    const t0 = performance.now();
    measuring = true;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    measuring = false;
    const elapsedMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const simCpuMs = (await sim.cpuUsage()) - simCpu0;
    const dashboardCpuMs = (cpu.user + cpu.system) / 1000;
    const wall = seen.map((s) => s.pollDurationMs);
    const s = summarize(wall);
    return {
      cluster: `${total} simulated (${masters} masters + ${total - masters} replicas)`,
      nodes: total,
      seconds,
      pollIntervalMs: cluster.pollIntervalMs,
      polls: seen.length,
      wallMedianMs: round(s.median),
      wallP95Ms: round(s.p95),
      wallMaxMs: round(s.max),
      pollsOverInterval: wall.filter((w) => w > cluster.pollIntervalMs).length,
      everyPollWithinInterval: wall.every((w) => w <= cluster.pollIntervalMs),
      minReachable: seen.length ? Math.min(...seen.map((x) => x.summary.reachable)) : 0,
      dashboardCpuPercent: round((dashboardCpuMs / elapsedMs) * 100, 1),
      dashboardCpuMsPerPoll: round(dashboardCpuMs / Math.max(1, seen.length), 1),
      simulatorCpuPercent: round((simCpuMs / elapsedMs) * 100, 1),
      completeAfterMs,
    };
  } finally {
    poller.stop();
    await sim.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { nodes: { type: 'string', default: '300,1000' }, seconds: { type: 'string', default: '60' } },
  });
  const results: SimulatedPollResult[] = [];
  for (const n of values.nodes.split(',').map(Number))
    results.push(await measureSimulated(n, Number(values.seconds), { log: console.log }));
  console.table(results);
  await mkdir('bench-results', { recursive: true });
  const out = {
    bench: 'snapshot-simulated',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version, loadavg: os.loadavg().map((l) => round(l)) },
    results,
  };
  await writeFile('bench-results/snapshot-simulated.json', `${JSON.stringify(out, null, 2)}\n`);
  console.log('written to bench-results/snapshot-simulated.json');
}
