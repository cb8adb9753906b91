import 'server-only';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { downsample } from '@/lib/history/downsample';
import { type Counters, countersOf, latencySummary, sampleOf } from '@/lib/history/sample';
import type { LatencyStats, NodeHistory } from '@/lib/history/types';
import { MINUTE_MS } from '../store/historyMinutes';
import type { MinuteRollup } from './minuteRollup';
import { PingRing, SampleRing } from './ring';

interface NodeState {
  ring: SampleRing;
  pings: PingRing;
  counters?: Counters;
  /** Pings since the last poll, averaged into that poll's ping_ms sample. */
  pending: number[];
}

/** What the history reads of a poll: when it started and its nodes (a cluster's snapshot, or a Sentinel deployment's data nodes). */
export type HistorySource = Pick<ClusterSnapshot, 'collectedAt' | 'nodes'>;

/** Per node of one cluster: the history ring, the latency samples, and the counters of the last poll. */
export class ClusterHistory {
  private readonly nodes = new Map<string, NodeState>();
  readonly capacity: number;
  readonly pingCapacity: number;

  /** `minutes`: where the 1-minute rollups go (the store), read back for what the rings no longer (or never) held. */
  constructor(
    readonly historyMs: number,
    pollIntervalMs: number,
    latencySampleMs: number,
    readonly minutes?: MinuteRollup,
  ) {
    this.capacity = Math.ceil(historyMs / pollIntervalMs) + 1;
    this.pingCapacity = latencySampleMs > 0 ? Math.ceil(historyMs / latencySampleMs) + 1 : 1;
  }

  private state(nodeId: string): NodeState {
    let state = this.nodes.get(nodeId);
    if (!state) {
      state = { ring: new SampleRing(this.capacity), pings: new PingRing(this.pingCapacity), pending: [] };
      this.nodes.set(nodeId, state);
    }
    return state;
  }

  recordPings(at: number, pings: Map<string, number>): void {
    for (const [nodeId, ms] of pings) {
      const state = this.state(nodeId);
      state.pings.push(at, ms);
      state.pending.push(ms);
    }
  }

  record(snapshot: HistorySource): void {
    const at = Date.parse(snapshot.collectedAt);
    const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
    for (const node of snapshot.nodes) {
      const state = this.state(node.id);
      const next = countersOf(node, at);
      const master = node.masterId ? byId.get(node.masterId) : undefined;
      const ping = state.pending.length ? state.pending.reduce((s, v) => s + v, 0) / state.pending.length : null;
      const sample = sampleOf(node, state.counters, next, master?.info?.master_repl_offset, ping);
      state.ring.push(at, sample);
      this.minutes?.add(at, node.id, sample);
      state.counters = next;
      state.pending = [];
    }
    for (const id of this.nodes.keys()) if (!byId.has(id)) this.nodes.delete(id);
  }

  /** Per node, the samples since `since`, averaged down to at most `maxPoints` points. */
  series(snapshot: HistorySource | undefined, since: number, maxPoints = Number.POSITIVE_INFINITY): NodeHistory[] {
    return (snapshot?.nodes ?? []).map((node) => {
      const { t, series } = downsample(this.state(node.id).ring.since(since), maxPoints);
      return { nodeId: node.id, addr: node.addr, role: node.role, masterId: node.masterId, t, series };
    });
  }

  /**
   * Like series, and where the window reaches back before the rings' oldest sample (a window longer than
   * historyMinutes, or a dashboard restarted lately), the stored 1-minute rollups fill that part: points before
   * `minuteAveragesUntil` are means of whole minutes, the rest the polls' own samples. The points are shared between
   * the two parts by the time each covers.
   */
  window(
    snapshot: HistorySource | undefined,
    since: number,
    maxPoints: number,
    now = Date.now(),
  ): { nodes: NodeHistory[]; minuteAveragesUntil?: number } {
    const oldest = this.oldestSample() ?? now;
    const until = Math.floor(oldest / MINUTE_MS) * MINUTE_MS;
    if (!this.minutes || until - since < MINUTE_MS) return { nodes: this.series(snapshot, since, maxPoints) };
    const span = Math.max(1, now - since);
    const coarsePoints = Math.max(1, Math.min(maxPoints - 1, Math.round((maxPoints * (until - since)) / span)));
    const bucketMs = MINUTE_MS * Math.max(1, Math.ceil((until - since) / MINUTE_MS / coarsePoints));
    const stored = this.minutes.minutes(since, until, bucketMs);
    if (stored.size === 0) return { nodes: this.series(snapshot, since, maxPoints) };
    // The points the stored part did not use (fewer minutes stored than it was given) go to the recent part.
    const used = Math.max(...[...stored.values()].map((m) => m.t.length));
    const nodes = this.series(snapshot, oldest, Math.max(1, maxPoints - used)).map((fine) => {
      const coarse = stored.get(fine.nodeId);
      if (!coarse) return fine;
      const series = { ...fine.series };
      for (const name of Object.keys(series) as Array<keyof typeof series>)
        series[name] = [...(coarse.series[name] ?? []), ...fine.series[name]];
      return { ...fine, t: [...coarse.t, ...fine.t], series };
    });
    return { nodes, minuteAveragesUntil: until };
  }

  /** Epoch ms of the oldest sample any node's ring holds. */
  private oldestSample(): number | undefined {
    let oldest: number | undefined;
    for (const state of this.nodes.values()) {
      const t = state.ring.oldest;
      if (t !== undefined && (oldest === undefined || t < oldest)) oldest = t;
    }
    return oldest;
  }

  latency(snapshot: HistorySource | undefined, since: number): LatencyStats[] {
    return (snapshot?.nodes ?? []).map((node) => ({
      nodeId: node.id,
      addr: node.addr,
      ...latencySummary(this.state(node.id).pings.since(since)),
    }));
  }

  /** Bytes held for one node (history and latency rings): fixed at creation. */
  get bytesPerNode(): number {
    return SampleRing.bytesFor(this.capacity) + this.pingCapacity * 12;
  }
}
