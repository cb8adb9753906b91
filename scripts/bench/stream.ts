// npm run bench:stream — the snapshot stream's bytes per poll on a simulated cluster (default 300 nodes: 150 masters,
// one replica each; scripts/simcluster), whole snapshots (`/stream`, as before) side by side with deltas
// (`/stream?delta=1`, what the cluster page opens), from the same dashboard over the same polls. Also the gzip size of
// each frame, for comparison only (the stream is not compressed). Starts its own simulator and dashboard.
// Options: --nodes N (even, default 300), --polls P (default 30), --interval MS (default 1000).
import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { sessionOf } from '../../e2e/support/sse';
import { startSimStack } from '../../e2e/support/stack';
import { FULL_SNAPSHOT_EVERY } from '../../server/clusters/streamDelta';
import { waitFor } from '../devcluster/cluster';
import { round, summarize } from './stats';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '300' },
    polls: { type: 'string', default: '30' },
    interval: { type: 'string', default: '1000' },
  },
});
const nodes = Number(values.nodes);
const polls = Number(values.polls);
const interval = Number(values.interval);

interface Frame {
  event: string;
  bytes: number;
  gzipBytes: number;
  reachable?: number;
}

/** Reads `url`'s SSE frames into `into` (bytes as sent, event name) until `signal` aborts. */
async function record(url: string, cookie: string, into: Frame[], signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { headers: { cookie, accept: 'text/event-stream' }, signal });
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end + 2);
        buffer = buffer.slice(end + 2);
        const event = /^event: (\w+)$/m.exec(frame)?.[1];
        if (event !== 'snapshot' && event !== 'delta') continue;
        const data = /^data: (.*)$/m.exec(frame)?.[1] ?? '{}';
        const reachable =
          event === 'snapshot' ? (JSON.parse(data) as { summary: { reachable: number } }).summary.reachable : undefined;
        into.push({ event, bytes: Buffer.byteLength(frame), gzipBytes: gzipSync(frame).length, reachable });
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

const stack = await startSimStack(
  { masters: nodes / 2, replicasPerMaster: 1 },
  { pollIntervalMs: interval, clusterConfig: { nodeDeadlineMs: Math.min(interval, 1000) } },
);
const abort = new AbortController();
try {
  const cookie = await sessionOf(stack.baseURL, 'viewer', stack.passwords.viewer);
  const base = `${stack.baseURL}/api/clusters/${stack.clusterId}/stream`;
  // Measured from the first poll that shows every node: before it, the snapshot is still growing.
  const probe: Frame[] = [];
  const probing = record(base, cookie, probe, abort.signal);
  await waitFor(
    'every node shown reachable',
    async () => (probe.at(-1)?.reachable === nodes ? true : undefined),
    120_000,
    200,
  );
  const whole: Frame[] = [];
  const deltas: Frame[] = [];
  const started = Date.now();
  const reading = [record(base, cookie, whole, abort.signal), record(`${base}?delta=1`, cookie, deltas, abort.signal)];
  await waitFor(
    `${polls} polls`,
    async () => (whole.length > polls && deltas.length > polls ? true : undefined),
    polls * interval * 10,
    200,
  );
  abort.abort();
  await Promise.allSettled([probing, ...reading]);
  const seconds = (Date.now() - started) / 1000;
  // The first frame of each stream is whole in both: the steady state is what follows.
  const steadyWhole = whole.slice(1, polls + 1);
  const steadyDelta = deltas.slice(1, polls + 1);
  const fullSize = summarize(steadyWhole.map((f) => f.bytes));
  const deltaOnly = steadyDelta.filter((f) => f.event === 'delta');
  const deltaSize = summarize(deltaOnly.map((f) => f.bytes));
  const mean = (fs: Frame[], key: 'bytes' | 'gzipBytes') => fs.reduce((s, f) => s + f[key], 0) / Math.max(1, fs.length);
  const result = {
    bench: 'stream',
    at: new Date().toISOString(),
    nodes,
    pollIntervalMs: interval,
    polls: steadyWhole.length,
    seconds: round(seconds, 1),
    loadAverage: (await import('node:os')).loadavg().map((l) => round(l, 2)),
    wholeBytesMedian: fullSize.median,
    wholeBytesMax: fullSize.max,
    wholeGzipBytesMean: Math.round(mean(steadyWhole, 'gzipBytes')),
    deltaBytesMedian: deltaSize.median,
    deltaBytesP95: deltaSize.p95,
    deltaBytesMax: deltaSize.max,
    deltaGzipBytesMean: Math.round(mean(deltaOnly, 'gzipBytes')),
    /** Including the whole snapshot sent every FULL_SNAPSHOT_EVERY polls, counted at its share. */
    deltaStreamBytesPerPollMean: Math.round(
      (mean(deltaOnly, 'bytes') * (FULL_SNAPSHOT_EVERY - 1) + fullSize.median) / FULL_SNAPSHOT_EVERY,
    ),
    ratioMedian: round(deltaSize.median / fullSize.median, 3),
  };
  console.table(Object.entries(result).map(([measure, value]) => ({ measure, value: JSON.stringify(value) })));
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/stream.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(
    `${nodes} nodes, ${result.polls} polls: whole snapshot ${fullSize.median} B per poll (gzip ${result.wholeGzipBytesMean} B); delta ${deltaSize.median} B median, ${deltaSize.max} B max (gzip ${result.deltaGzipBytesMean} B) — ${round(100 * result.ratioMedian, 1)} %`,
  );
  console.log('written to bench-results/stream.json');
} finally {
  abort.abort();
  await stack.stop();
}
