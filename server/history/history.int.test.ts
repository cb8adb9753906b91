import parsePrometheus from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateFindings } from '@/lib/findings';
import { prometheusText } from '@/lib/metrics/prometheus';
import { keyHashSlot } from '@/lib/redis/crc16';
import { rangeContains } from '@/lib/redis/slots';
import { connectTo, type DevCluster } from '../../scripts/devcluster/cluster';
import { resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { ClusterPoller } from '../collect/poller';

let dev: DevCluster;
let poller: ClusterPoller;

beforeAll(async () => {
  dev = await startThreeHostCluster();
  poller = new ClusterPoller(resolvedClusterFor(dev, { pollIntervalMs: 1000, latencySampleMs: 250 }));
  poller.start();
  await waitFor('all nodes reachable', async () => (poller.latest?.summary.reachable === 6 ? true : undefined), 15_000);
});
afterAll(async () => {
  poller?.stop();
  await dev?.stop();
});

/** A hash tag whose slot the given master owns, so every key goes to that one shard. */
function tagFor(slots: Array<[number, number]>): string {
  for (let i = 0; ; i++) if (rangeContains(slots, keyHashSlot(`{w${i}}`))) return `{w${i}}`;
}

describe('history on a real cluster', () => {
  it('shows a known write rate on the master of the shard within 15%, and memory rising', async () => {
    const master = dev.masters[0];
    const snapshotMaster = poller.latest?.nodes.find((n) => n.id === master?.id);
    if (!master || !snapshotMaster) throw new Error('no master');
    const tag = tagFor(snapshotMaster.slots);
    const writer = connectTo(master.host, master.port);
    const RATE = 1000;
    const SECONDS = 30;
    const value = 'v'.repeat(100);
    const started = Date.now();
    let sent = 0;
    try {
      // Exactly RATE writes per second, sent in 20 ms steps against the wall clock (a late step catches up).
      while (Date.now() - started < SECONDS * 1000) {
        const due = Math.floor(((Date.now() - started) / 1000) * RATE);
        const batch: Array<Promise<unknown>> = [];
        for (; sent < due; sent++) batch.push(writer.set(`${tag}:${sent}`, value));
        await Promise.all(batch);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      writer.disconnect();
    }
    const ended = Date.now();
    await waitFor(
      'a poll after the load',
      async () => (Date.parse(poller.latest?.collectedAt ?? '0') > ended + 1000 ? true : undefined),
      5000,
    );
    const history = poller.history.series(poller.latest, started).find((h) => h.nodeId === master.id);
    if (!history) throw new Error('no history for the master');
    // Skip the first and last 3 s (partial seconds at the edges), then average.
    const inside = history.t
      .map((t, i) => ({ t, ops: history.series.ops_per_sec[i] }))
      .filter((p) => p.t > started + 3000 && p.t < ended - 1000 && p.ops !== null && p.ops !== undefined);
    const mean = inside.reduce((s, p) => s + (p.ops ?? 0), 0) / inside.length;
    expect(inside.length).toBeGreaterThan(20);
    expect(mean).toBeGreaterThan(RATE * 0.85);
    expect(mean).toBeLessThan(RATE * 1.15);
    const memory = history.series.used_memory.filter((m): m is number => m !== null);
    expect((memory.at(-1) ?? 0) - (memory[0] ?? 0)).toBeGreaterThan(1024 * 1024);
    const keys = history.series.keys.filter((k): k is number => k !== null);
    expect(keys.at(-1)).toBeGreaterThanOrEqual(SECONDS * RATE * 0.95);
  }, 90_000);

  it('a restarted node never gives a negative or spiking rate', async () => {
    const replica = dev.replicas[0];
    if (!replica) throw new Error('no replica');
    const from = Date.now();
    await dev.kill(replica);
    await dev.restart(replica);
    const newPid = String(replica.pid);
    let seenAt: number | undefined;
    await waitFor(
      'three polls of the restarted process',
      async () => {
        if (poller.member(replica.id)?.info?.fields.process_id !== newPid) return undefined;
        seenAt ??= poller.polls;
        return poller.polls >= seenAt + 3 ? true : undefined;
      },
      30_000,
      100,
    );
    const h = poller.history.series(poller.latest, from).find((x) => x.nodeId === replica.id);
    for (const name of [
      'ops_per_sec',
      'net_in_bytes_per_sec',
      'net_out_bytes_per_sec',
      'evicted_per_sec',
      'expired_per_sec',
    ] as const) {
      for (const v of h?.series[name] ?? []) {
        expect(v === null || v >= 0, `${name} ${v}`).toBe(true);
        expect(v === null || v < 100_000, `${name} spike ${v}`).toBe(true);
      }
    }
    expect(h?.series.ops_per_sec.some((v) => v === null)).toBe(true);
    // The timeline says so once (the charts mark it), however few polls saw the node down.
    const restarts = poller
      .timeline()
      .filter((e) => e.kind === 'node_restarted' && Date.parse(e.at) >= from && e.nodeIds.includes(replica.id));
    expect(restarts).toHaveLength(1);
    expect(poller.timeline().filter((e) => e.kind === 'node_restarted' && Date.parse(e.at) >= from)).toHaveLength(1);
  });

  it('samples PING latency for every node and exports every node to Prometheus', async () => {
    const latency = poller.history.latency(poller.latest, Date.now() - 60_000);
    expect(latency).toHaveLength(6);
    for (const l of latency) expect(l.samples).toBeGreaterThan(3);
    const snapshot = poller.latest;
    if (!snapshot) throw new Error('no snapshot');
    const text = prometheusText([
      { snapshot, findings: evaluateFindings(snapshot), pingMs: new Map(latency.map((l) => [l.nodeId, l.avgMs ?? 0])) },
    ]);
    const families = parsePrometheus(text);
    const up = families.find((f) => f.name === 'redis_up');
    expect(up?.type).toBe('GAUGE');
    expect(new Set(up?.metrics.map((m) => m.labels?.node_id))).toEqual(new Set(dev.nodes.map((n) => n.id)));
    expect(families.find((f) => f.name === 'redis_commands_processed_total')?.type).toBe('COUNTER');
    expect(families.find((f) => f.name === 'redis_cluster_state')?.metrics[0]).toMatchObject({
      value: '1',
      labels: { cluster: 'test' },
    });
  });
});
