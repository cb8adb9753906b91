// npm run bench:snapshot — snapshot wall time (median, p95) and poller CPU per node per poll, on a 6-node cluster
// (3 masters + 3 replicas) and a 30-master cluster, both started here by the launcher and stopped at the end.
// Options: --polls N (default 200), --skip-large.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ClusterCollector } from '../../server/collect/collector';
import { type DevClusterOptions, startDevCluster, waitFor } from '../devcluster/cluster';
import { resolvedClusterFor } from '../test/helpers';
import { round, summarize } from './stats';

const { values } = parseArgs({
  options: { polls: { type: 'string', default: '200' }, 'skip-large': { type: 'boolean', default: false } },
});
const polls = Number(values.polls);

async function measure(label: string, options: DevClusterOptions) {
  const started = Date.now();
  const dev = await startDevCluster(options);
  console.log(`${label}: ${dev.nodes.length} nodes up in ${Date.now() - started} ms`);
  const collector = new ClusterCollector(resolvedClusterFor(dev, { nodeDeadlineMs: 1000 }));
  try {
    await waitFor(
      'every node reachable',
      async () => ((await collector.collect()).summary.reachable === dev.nodes.length ? true : undefined),
      30_000,
    );
    for (let i = 0; i < 10; i++) await collector.collect();
    const wall: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < polls; i++) {
      const t0 = performance.now();
      const snap = await collector.collect();
      wall.push(performance.now() - t0);
      if (snap.summary.reachable !== dev.nodes.length)
        throw new Error(`poll ${i}: only ${snap.summary.reachable} nodes answered`);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMsPerPoll = (cpu.user + cpu.system) / 1000 / polls;
    const s = summarize(wall);
    return {
      cluster: label,
      nodes: dev.nodes.length,
      polls,
      wallMedianMs: round(s.median),
      wallP95Ms: round(s.p95),
      wallMaxMs: round(s.max),
      cpuMsPerPoll: round(cpuMsPerPoll, 3),
      cpuMsPerNodePerPoll: round(cpuMsPerPoll / dev.nodes.length, 3),
    };
  } finally {
    collector.close();
    await dev.stop();
  }
}

const hosts = ['127.0.0.1', '127.0.0.2', '127.0.0.3'];
const results = [await measure('6 nodes (3 masters + 3 replicas)', { masters: 3, replicasPerMaster: 1, hosts })];
if (!values['skip-large'])
  results.push(await measure('30 masters', { masters: 30, replicasPerMaster: 0, hosts, readyTimeoutMs: 60_000 }));

console.table(results);
await mkdir('bench-results', { recursive: true });
const out = {
  bench: 'snapshot',
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version },
  results,
};
await writeFile('bench-results/snapshot.json', `${JSON.stringify(out, null, 2)}\n`);
console.log('written to bench-results/snapshot.json');
