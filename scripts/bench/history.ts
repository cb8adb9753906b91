// npm run bench:history — memory of history per node-hour, and poller CPU per node per poll with history and the
// latency sampler on, on a cluster the launcher starts here (default 3 masters + 3 replicas) and stops at the end.
// Options: --seconds N (default 30), --masters M (default 3), --latency-ms N (default 250).
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ClusterPoller } from '../../server/collect/poller';
import { ClusterHistory } from '../../server/history/clusterHistory';
import { startDevCluster, waitFor } from '../devcluster/cluster';
import { resolvedClusterFor, THREE_HOSTS } from '../test/helpers';
import { round } from './stats';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    masters: { type: 'string', default: '3' },
    'latency-ms': { type: 'string', default: '250' },
  },
});
const seconds = Number(values.seconds);
const latencyMs = Number(values['latency-ms']);

// Memory: the rings are typed arrays allocated whole, so one node-hour costs the same from the first sample on.
const nodesForMemory = 100;
const before = process.memoryUsage().arrayBuffers;
const probe = new ClusterHistory(60 * 60_000, 1000, latencyMs);
const snapshot = {
  nodes: Array.from({ length: nodesForMemory }, (_, i) => ({
    id: String(i).padStart(40, '0'),
    addr: `10.0.0.${i}:6379`,
  })),
} as unknown as Parameters<ClusterHistory['series']>[0];
for (const node of snapshot?.nodes ?? []) probe.recordPings(Date.now(), new Map([[node.id, 0.2]]));
const measuredPerNode = (process.memoryUsage().arrayBuffers - before) / nodesForMemory;

const dev = await startDevCluster({ masters: Number(values.masters), replicasPerMaster: 1, hosts: THREE_HOSTS });
const poller = new ClusterPoller(
  resolvedClusterFor(dev, { pollIntervalMs: 1000, latencySampleMs: latencyMs, historyMinutes: 60 }),
);
try {
  poller.start();
  await waitFor(
    'every node polled',
    async () => (poller.latest?.summary.reachable === dev.nodes.length ? true : undefined),
    30_000,
  );
  const polls0 = poller.polls;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  await waitFor(
    `${seconds} s of polling`,
    async () => (Date.now() - t0 >= seconds * 1000 ? true : undefined),
    seconds * 1000 + 5000,
    200,
  );
  const cpu = process.cpuUsage(cpu0);
  const polls = poller.polls - polls0;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const latency = poller.history.latency(poller.latest, t0);
  const result = {
    bench: 'history',
    at: new Date().toISOString(),
    machine: { cpus: os.cpus().length, node: process.version },
    nodes: dev.nodes.length,
    pollIntervalMs: 1000,
    latencySampleMs: latencyMs,
    historyBytesPerNodeHour: poller.history.bytesPerNode,
    historyKiBPerNodeHour: round(poller.history.bytesPerNode / 1024, 1),
    measuredArrayBufferKiBPerNode: round(measuredPerNode / 1024, 1),
    seconds,
    polls,
    pingSamplesPerNode: round(latency.reduce((s, l) => s + l.samples, 0) / latency.length, 0),
    cpuMsPerPoll: round(cpuMs / polls, 3),
    cpuMsPerNodePerPoll: round(cpuMs / polls / dev.nodes.length, 3),
    cpuPercentOfOneCore: round((cpuMs / (seconds * 1000)) * 100, 2),
  };
  console.table(
    Object.entries(result).map(([k, v]) => ({ measure: k, value: typeof v === 'object' ? JSON.stringify(v) : v })),
  );
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/history.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log('written to bench-results/history.json');
} finally {
  poller.stop();
  await dev.stop();
}
