import 'server-only';
import type { ClusterSnapshot, SnapshotNode } from '@/lib/cluster/types';
import { diffSnapshots, type TimelineEvent } from '@/lib/timeline/diff';
import { RestartWatch } from '@/lib/timeline/restarts';
import type { ResolvedCluster } from '../config/load';
import { ClusterHistory } from '../history/clusterHistory';
import { MinuteRollup } from '../history/minuteRollup';
import { dialAllowed, learnSeedNetworks } from '../security/nodeNetworks';
import { ClusterCollector } from './collector';
import { SLOT_HEAT_DEFAULTS, SlotHeatSampler } from './slotHeat';
import { MEMORY_TIMELINE_LIMIT, MemoryTimeline, type TimelineLog } from './timelineLog';

export type SnapshotListener = (snapshot: ClusterSnapshot, events: TimelineEvent[]) => void;

/** Events the timeline API and the failover wizard read at most. */
export const TIMELINE_LIMIT = MEMORY_TIMELINE_LIMIT;

/** One poll loop per cluster: polls, keeps the latest snapshot, tells listeners. Requests only ever read the cache. */
export class ClusterPoller {
  private readonly collector: ClusterCollector;
  private readonly listeners = new Set<SnapshotListener>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private latestSnapshot: ClusterSnapshot | undefined;
  private readonly restarts = new RestartWatch();
  private sampler: NodeJS.Timeout | undefined;
  private polling = false;
  private broughtForward = false;
  private waiters: { resolve: (s: ClusterSnapshot) => void; reject: (e: Error) => void }[] = [];
  readonly history: ClusterHistory;
  /** Per-slot heat, read on a timer of its own over the poller's connections. */
  readonly heat: SlotHeatSampler;
  polls = 0;

  private readonly stopListeners = new Set<() => void>();

  /** `history`: the trends of the poller this one replaces (same window and sampling), kept across a config reload. */
  constructor(
    readonly cluster: ResolvedCluster,
    private readonly events: TimelineLog = new MemoryTimeline(),
    history?: ClusterHistory,
  ) {
    this.collector = new ClusterCollector(cluster);
    this.history =
      history ??
      new ClusterHistory(
        cluster.historyMinutes * 60_000,
        cluster.pollIntervalMs,
        cluster.latencySampleMs,
        new MinuteRollup(cluster.id),
      );
    this.heat = new SlotHeatSampler(
      cluster,
      { latest: () => this.latestSnapshot, connection: (node) => this.connectionOf(node) },
      { ...SLOT_HEAT_DEFAULTS, countKeysMs: cluster.slotHeatSweepMinutes * 60_000 },
    );
  }

  get latest(): ClusterSnapshot | undefined {
    return this.latestSnapshot;
  }

  /** Events derived from consecutive snapshots, newest first. */
  timeline(limit = TIMELINE_LIMIT): TimelineEvent[] {
    return this.events.recent(limit);
  }

  /** CONFIG GET cluster-* is read again at the next poll (after a change made through the dashboard). */
  refreshConfig(): void {
    this.collector.refreshConfig();
  }

  /**
   * A member of the cluster by id, with the poller's connection to it (none for a node outside nodeNetworks: nothing
   * is sent there); undefined for anything else.
   */
  member(nodeId: string) {
    const node = this.latestSnapshot?.nodes.find((n) => n.id === nodeId);
    if (!node?.addr) return undefined;
    return { node, connection: this.connectionOf(node), info: this.collector.lastInfo.get(nodeId) };
  }

  /** The poller's connection to a node of its snapshot; undefined for noaddr or outside nodeNetworks. */
  private connectionOf(node: Pick<SnapshotNode, 'addr' | 'connectAddr'>) {
    if (!node.addr) return undefined;
    const addr = node.connectAddr ?? node.addr;
    return dialAllowed(this.cluster, addr) ? this.collector.connectionTo(addr) : undefined;
  }

  /**
   * A snapshot whose poll started after this call: what an operation's plan and pre-flight must read (the cached one
   * may predate the end of the previous operation). Callers asking at once share one poll; the poll loop is the same
   * one, only brought forward (a poller not started polls once).
   */
  fresh(): Promise<ClusterSnapshot> {
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      // Started on the next turn, so that callers asking in this one share the poll.
      if (!this.polling && !this.broughtForward) {
        this.broughtForward = true;
        clearTimeout(this.timer);
        setImmediate(() => {
          this.broughtForward = false;
          void this.tick();
        });
      }
    });
  }

  subscribe(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Snapshot and stop listeners held now (one each per open stream): for leak checks. */
  get listenerCount(): number {
    return this.listeners.size + this.stopListeners.size;
  }

  /** Told once when this poller stops (its cluster was removed or changed in the config): no snapshot follows. */
  onStop(listener: () => void): () => void {
    this.stopListeners.add(listener);
    return () => this.stopListeners.delete(listener);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void learnSeedNetworks(this.cluster).then(() => this.tick());
    if (this.cluster.latencySampleMs > 0) this.sampleLatency();
    this.heat.start();
  }

  /** PING round trips per node on a timer of its own, skipping a round while the previous one is unanswered. */
  private sampleLatency(): void {
    let busy = false;
    let lastRound = 0;
    this.sampler = setInterval(async () => {
      if (busy || !this.latestSnapshot) return;
      // A round of N PINGs at most every N ms (1,000 nodes: once a second, not 4,000 PINGs a second).
      const now = Date.now();
      if (now - lastRound < this.latestSnapshot.nodes.length) return;
      lastRound = now;
      busy = true;
      try {
        const members = this.latestSnapshot.nodes
          .filter((n) => n.addr)
          .map((n) => ({ id: n.id, addr: n.connectAddr ?? n.addr }));
        this.history.recordPings(Date.now(), await this.collector.pingMembers(members, this.cluster.nodeDeadlineMs));
      } finally {
        busy = false;
      }
    }, this.cluster.latencySampleMs);
  }

  private async tick(): Promise<void> {
    // One poll at a time: a poll brought forward by fresh() can start before start()'s first one (seed networks still
    // being learned); the second would find every node in flight and make a poll loop of its own.
    if (this.polling) return;
    const started = Date.now();
    this.polling = true;
    // Whoever asked before this poll started is served by it; whoever asks during it, by the next.
    const served = this.waiters.splice(0);
    try {
      const snapshot = await this.collector.collect();
      this.polls++;
      const restarted = this.restarts.check(snapshot);
      const events = this.latestSnapshot ? [...diffSnapshots(this.latestSnapshot, snapshot), ...restarted] : [];
      this.record(events);
      this.latestSnapshot = snapshot;
      this.history.record(snapshot);
      for (const listener of this.listeners) {
        try {
          listener(snapshot, events);
        } catch (err) {
          console.error(`[poller ${this.cluster.id}] listener failed:`, err);
        }
      }
      for (const w of served) w.resolve(snapshot);
    } catch (err) {
      console.error(`[poller ${this.cluster.id}] poll failed:`, err);
      for (const w of served) w.reject(err instanceof Error ? err : new Error(String(err)));
    }
    this.polling = false;
    if (!this.running) return;
    // Someone asked for a fresh snapshot while this poll ran: the next one starts now.
    const wait = this.waiters.length ? 0 : Math.max(0, this.cluster.pollIntervalMs - (Date.now() - started));
    this.timer = setTimeout(() => void this.tick(), wait);
  }

  /** A store that fails (disk full) costs the timeline's durability, never the poll loop. */
  private record(events: TimelineEvent[]): void {
    try {
      this.events.append(events);
    } catch (err) {
      console.error(`[poller ${this.cluster.id}] could not record ${events.length} timeline event(s):`, err);
    }
  }

  stop(): void {
    this.running = false;
    for (const w of this.waiters.splice(0)) w.reject(new Error('this cluster is no longer polled'));
    clearTimeout(this.timer);
    clearInterval(this.sampler);
    this.heat.stop();
    this.collector.close();
    for (const listener of this.stopListeners) {
      try {
        listener();
      } catch (err) {
        console.error(`[poller ${this.cluster.id}] stop listener failed:`, err);
      }
    }
    this.stopListeners.clear();
  }
}
