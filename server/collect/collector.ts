import 'server-only';
import { announcedAddr, buildSnapshot } from '@/lib/cluster/buildSnapshot';
import type { ClusterSnapshot, NodeLatency, NodeReport, ParsedInfo } from '@/lib/cluster/types';
import { serverVersion, supportsClusterShards } from '@/lib/redis/features';
import type { ResolvedCluster } from '../config/load';
import { NodeConnection } from '../redis/nodeClient';
import { pollNode } from './pollNode';

/** Commands on a hung node are abandoned this long after the poll deadline, so its connection is reused later. */
const COMMAND_TIMEOUT_FACTOR = 10;
/** CONFIG GET cluster-* changes rarely; read it this often per node, not every poll. */
const CONFIG_REFRESH_MS = 30_000;
/** LATENCY LATEST and INFO latencystats: this often per node. */
const LATENCY_REFRESH_MS = 10_000;

/**
 * Polls every member of one cluster over one connection per node. Members are whatever the shared view lists; the
 * configured seeds are always polled too, so the cluster is found again if every known member moved.
 */
export class ClusterCollector {
  private readonly clients = new Map<string, NodeConnection>();
  private readonly inFlight = new Map<string, number>();
  private readonly shards = new Map<string, boolean>();
  private readonly configs = new Map<string, { values: Record<string, string>; at: number }>();
  private readonly latencies = new Map<string, { value: NodeLatency; at: number }>();
  private members: string[] = [];
  private closed = false;

  constructor(private readonly cluster: ResolvedCluster) {}

  /** Announced address -> address to connect to. */
  connectAddr = (announced: string): string => this.cluster.natMap[announced] ?? announced;

  /** The poller's own connection to a node address (created on first use); mutations go to the exact node on it. */
  connectionTo(addr: string): NodeConnection {
    return this.client(addr);
  }

  /** Full INFO of each node from its last answered poll. */
  readonly lastInfo = new Map<string, ParsedInfo>();

  private client(addr: string): NodeConnection {
    let client = this.clients.get(addr);
    if (!client) {
      client = new NodeConnection(
        addr,
        this.cluster,
        Math.max(10_000, this.cluster.nodeDeadlineMs * COMMAND_TIMEOUT_FACTOR),
      );
      this.clients.set(addr, client);
    }
    return client;
  }

  targets(): string[] {
    return [...new Set([...this.members, ...this.cluster.seeds.map(this.connectAddr)])];
  }

  private async pollOne(addr: string): Promise<NodeReport> {
    const since = this.inFlight.get(addr);
    if (since !== undefined) {
      return {
        addr,
        ok: false,
        error: `no reply within ${this.cluster.nodeDeadlineMs} ms (still waiting, ${Math.round((Date.now() - since) / 1000)} s)`,
      };
    }
    const withConfig = Date.now() - (this.configs.get(addr)?.at ?? 0) > CONFIG_REFRESH_MS;
    const withLatency = Date.now() - (this.latencies.get(addr)?.at ?? 0) > LATENCY_REFRESH_MS;
    const report = await pollNode(addr, this.client(addr), {
      deadlineMs: this.cluster.nodeDeadlineMs,
      withShards: this.shards.get(addr) ?? false,
      withConfig,
      withLatency,
      secrets: this.cluster.password ? [this.cluster.password] : [],
      onSent: (roundTrip) => {
        this.inFlight.set(addr, Date.now());
        roundTrip.finally(() => this.inFlight.delete(addr)).catch(() => {});
      },
    });
    if (!report.ok) return report;
    this.shards.set(addr, supportsClusterShards(serverVersion(report.info.fields)));
    // A refused CONFIG GET (an ACL without it) is not retried every poll either.
    if (withConfig)
      this.configs.set(addr, { values: report.clusterConfig ?? this.configs.get(addr)?.values ?? {}, at: Date.now() });
    if (report.latency) this.latencies.set(addr, { value: report.latency, at: Date.now() });
    const cached = this.configs.get(addr)?.values;
    const latency = this.latencies.get(addr)?.value;
    return { ...report, ...(cached ? { clusterConfig: cached } : {}), ...(latency ? { latency } : {}) };
  }

  /**
   * PING every member over its own connection and time the round trip, skipping a node whose poll is in flight (a
   * PING queued behind INFO would measure the INFO). Resolves to nodeId -> ms for the nodes that answered.
   */
  async pingMembers(
    members: ReadonlyArray<{ id: string; addr: string }>,
    timeoutMs: number,
  ): Promise<Map<string, number>> {
    const results = new Map<string, number>();
    await Promise.all(
      members.map(async ({ id, addr }) => {
        const connection = this.clients.get(addr);
        if (connection?.redis.status !== 'ready' || this.inFlight.has(addr)) return;
        const started = performance.now();
        try {
          await Promise.race([
            connection.redis.ping(),
            new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs)),
          ]);
          results.set(id, performance.now() - started);
        } catch {
          // an unanswered PING is not a latency sample; the poll reports the node's state
        }
      }),
    );
    return results;
  }

  async collect(): Promise<ClusterSnapshot> {
    if (this.closed) throw new Error('collector is closed');
    const collectedAt = new Date();
    const started = performance.now();
    const reports = await Promise.all(this.targets().map((addr) => this.pollOne(addr)));
    const snapshot = buildSnapshot({
      clusterId: this.cluster.id,
      clusterName: this.cluster.name,
      collectedAt,
      pollDurationMs: Math.round(performance.now() - started),
      reports,
      connectAddr: this.connectAddr,
    });
    for (const report of reports) {
      const self = report.ok ? report.nodes.find((n) => n.myself) : undefined;
      if (report.ok && self) this.lastInfo.set(self.id, report.info);
    }
    for (const id of this.lastInfo.keys()) if (!snapshot.nodes.some((n) => n.id === id)) this.lastInfo.delete(id);
    if (snapshot.nodes.length > 0) {
      this.members = snapshot.nodes.filter((n) => n.port > 0).map((n) => this.connectAddr(announcedAddr(n)));
    }
    this.dropStaleClients();
    return snapshot;
  }

  private dropStaleClients() {
    const keep = new Set(this.targets());
    for (const [addr, client] of this.clients) {
      if (keep.has(addr)) continue;
      client.close();
      this.clients.delete(addr);
      this.shards.delete(addr);
      this.configs.delete(addr);
      this.latencies.delete(addr);
    }
  }

  close(): void {
    this.closed = true;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
