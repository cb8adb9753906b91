import 'server-only';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { downsample } from '@/lib/history/downsample';
import { type Counters, countersOf, latencySummary, sampleOf } from '@/lib/history/sample';
import type { LatencyStats, NodeHistory } from '@/lib/history/types';
import { PingRing, SampleRing } from './ring';

interface NodeState {
  ring: SampleRing;
  pings: PingRing;
  counters?: Counters;
  /** Pings since the last poll, averaged into that poll's ping_ms sample. */
  pending: number[];
}

/** Per node of one cluster: the history ring, the latency samples, and the counters of the last poll. */
export class ClusterHistory {
  private readonly nodes = new Map<string, NodeState>();
  readonly capacity: number;
  readonly pingCapacity: number;

  constructor(
    readonly historyMs: number,
    pollIntervalMs: number,
    latencySampleMs: number,
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

  record(snapshot: ClusterSnapshot): void {
    const at = Date.parse(snapshot.collectedAt);
    const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
    for (const node of snapshot.nodes) {
      const state = this.state(node.id);
      const next = countersOf(node, at);
      const master = node.masterId ? byId.get(node.masterId) : undefined;
      const ping = state.pending.length ? state.pending.reduce((s, v) => s + v, 0) / state.pending.length : null;
      state.ring.push(at, sampleOf(node, state.counters, next, master?.info?.master_repl_offset, ping));
      state.counters = next;
      state.pending = [];
    }
    for (const id of this.nodes.keys()) if (!byId.has(id)) this.nodes.delete(id);
  }

  /** Per node, the samples since `since`, averaged down to at most `maxPoints` points. */
  series(snapshot: ClusterSnapshot | undefined, since: number, maxPoints = Number.POSITIVE_INFINITY): NodeHistory[] {
    return (snapshot?.nodes ?? []).map((node) => {
      const { t, series } = downsample(this.state(node.id).ring.since(since), maxPoints);
      return { nodeId: node.id, addr: node.addr, role: node.role, masterId: node.masterId, t, series };
    });
  }

  latency(snapshot: ClusterSnapshot | undefined, since: number): LatencyStats[] {
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
