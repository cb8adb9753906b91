import 'server-only';
import { announcedAddr, buildSnapshot } from '@/lib/cluster/buildSnapshot';
import { slotsWorthCounting } from '@/lib/cluster/slotsWorthCounting';
import type {
  ClusterInfo,
  ClusterNodeLine,
  ClusterSnapshot,
  NodeLatency,
  NodeReport,
  ParsedInfo,
  RefusedCommand,
} from '@/lib/cluster/types';
import { selfLine } from '@/lib/cluster/views';
import { notPolledOutside } from '@/lib/config/nodeNetworks';
import { OPTIONAL_COMMANDS, type OptionalCommand } from '@/lib/redis/refusal';
import type { ResolvedCluster } from '../config/load';
import { NodeConnection } from '../redis/nodeClient';
import { dialAllowed } from '../security/nodeNetworks';
import { pollNode } from './pollNode';
import { ViewCache } from './viewCache';

/** Commands on a hung node are abandoned this long after the poll deadline, so its connection is reused later. */
const COMMAND_TIMEOUT_FACTOR = 10;
/** CONFIG GET cluster-* changes rarely; read it this often per node, not every poll. */
const CONFIG_REFRESH_MS = 30_000;
/** LATENCY LATEST and INFO latencystats: this often per node. */
const LATENCY_REFRESH_MS = 10_000;
/** A command a node refused (ACL, renamed) is asked again this often, so a granted permission shows up. */
const REFUSAL_RETRY_MS = 60_000;
/** Up to this many polled nodes, every node's CLUSTER NODES is read every poll. */
export const FULL_VIEWS_UP_TO = 200;
/** Above it, every node's view is read at least once in this many polls (a rotating share per poll). */
export const VIEW_ROUNDS = 5;
/** COUNTKEYSINSLOT per node per poll, at most: open and disputed slots are few; a broken cluster may have many. */
const MAX_SLOTS_COUNTED = 32;

/**
 * What of a node's CLUSTER INFO tells its view changed: everything but the message counters (cluster_stats_*,
 * total_*), which move every poll. Undefined without CLUSTER INFO (refused): the view is then read every poll.
 */
function clusterInfoKey(info: ClusterInfo | undefined): string | undefined {
  if (!info) return undefined;
  let key = '';
  for (const [field, value] of Object.entries(info)) {
    if (!field.startsWith('cluster_stats_') && !field.startsWith('total_')) key += `${field}:${value};`;
  }
  return key;
}

/**
 * Polls every member of one cluster over one connection per node. Members are whatever the shared view lists; the
 * configured seeds are always polled too, so the cluster is found again if every known member moved. A member whose
 * address (the natMap applied) is outside the cluster's nodeNetworks is never connected to: anyone with access to the
 * cluster bus can MEET a node into the cluster, and the password must not follow it there.
 */
export class ClusterCollector {
  private readonly clients = new Map<string, NodeConnection>();
  private readonly inFlight = new Map<string, number>();
  /** addr -> ACL command name -> when it was refused, with the refusal as last seen. */
  private readonly refusals = new Map<string, Map<string, { at: number; refused: RefusedCommand }>>();
  private previous: ClusterSnapshot | undefined;
  private readonly configs = new Map<string, { values: Record<string, string>; at: number }>();
  private readonly latencies = new Map<string, { value: NodeLatency; at: number }>();
  private readonly views = new ViewCache();
  /** addr -> its CLUSTER INFO (counters left out) when its view was last read, and as of the last poll. */
  private readonly infoAtView = new Map<string, string>();
  private readonly infoNow = new Map<string, string>();
  private viewCursor = 0;
  private nextCount: { slots: number[]; masters: Set<string> } | undefined;
  /** Nodes whose last poll failed: their view is read at their next answer. */
  private readonly rereadView = new Set<string>();
  private members: string[] = [];
  private closed = false;

  constructor(private readonly cluster: ResolvedCluster) {}

  /** Announced address -> address to connect to. */
  connectAddr = (announced: string): string => this.cluster.natMap[announced] ?? announced;

  /**
   * The poller's own connection to a node address (created on first use); mutations go to the exact node on it.
   * Throws OutsideNodeNetworks for an address outside nodeNetworks.
   */
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

  /** Every node's CONFIG GET cluster-* is asked again at the next poll (a change made through the dashboard). */
  refreshConfig(): void {
    for (const entry of this.configs.values()) entry.at = 0;
  }

  targets(): string[] {
    return [...new Set([...this.members, ...this.cluster.seeds.map(this.connectAddr)])];
  }

  /**
   * Which nodes' CLUSTER NODES this poll reads. Every node's, up to FULL_VIEWS_UP_TO nodes. Above that, reading N
   * views of N lines every second does not fit a poll, so: any node with no view known yet (or whose last poll
   * failed), the node whose view the last snapshot was placed by (its flags are the ones shown: a FAIL it learns is
   * shown at the next poll), then a share of the nodes (1/VIEW_ROUNDS): first those whose CLUSTER INFO (state, slot
   * counts, known nodes, epochs) changed since their view was read, then in rotation, so in a steady cluster no view
   * is older than VIEW_ROUNDS polls (2 × VIEW_ROUNDS while CLUSTER INFO keeps changing everywhere).
   */
  private viewPlan(targets: string[]): {
    read: (addr: string) => boolean;
    keepTimes: (addr: string) => boolean;
    /** CLUSTER INFO is watched for changes (only when views are read by share). */
    watchInfo: boolean;
  } {
    if (targets.length <= FULL_VIEWS_UP_TO) {
      this.infoNow.clear();
      this.infoAtView.clear();
      return { read: () => true, keepTimes: () => true, watchInfo: false };
    }
    const share = Math.ceil(targets.length / VIEW_ROUNDS);
    const reference = this.previous?.nodes.find((n) => n.id === this.previous?.referenceNodeId);
    const referenceAddr = reference ? (reference.connectAddr ?? reference.addr) : undefined;
    const chosen = new Set<string>();
    for (const addr of targets) {
      // Unknown views, views of nodes back from a failure, views with no CLUSTER INFO to watch, the reference.
      if (!this.views.has(addr) || this.rereadView.has(addr) || !this.infoNow.has(addr) || addr === referenceAddr)
        chosen.add(addr);
    }
    // Then up to a share: views whose node's CLUSTER INFO changed first, the rotation with what is left (a burst of
    // changes, e.g. a FAIL every node counts, is read over a few polls instead of all in one). Changed views take at most half the share, looked for from the rotation's cursor on (a failover changes every
    // node's CLUSTER INFO: scanning from the start each poll would starve the end of the list); the rotation keeps
    // the rest, so every view is still read within 2 × VIEW_ROUNDS polls whatever changes.
    let budget = share;
    let changedBudget = Math.ceil(share / 2);
    for (let i = 0; i < targets.length && changedBudget > 0; i++) {
      const addr = targets[(this.viewCursor + i) % targets.length];
      if (addr !== undefined && !chosen.has(addr) && this.infoNow.get(addr) !== this.infoAtView.get(addr)) {
        chosen.add(addr);
        budget--;
        changedBudget--;
      }
    }
    let step = 0;
    for (; budget > 0 && step < targets.length; step++) {
      const addr = targets[(this.viewCursor + step) % targets.length];
      if (addr !== undefined && !chosen.has(addr)) {
        chosen.add(addr);
        budget--;
      }
    }
    this.viewCursor = (this.viewCursor + step) % targets.length;
    const read = (addr: string) => chosen.has(addr);
    // Ping/pong times are kept for the view the snapshot is likely placed by (the last one's reference), and for
    // every view on the first poll (no reference yet); other views' times are shown as unknown if they place a node.
    return { read, keepTimes: (addr) => referenceAddr === undefined || addr === referenceAddr, watchInfo: true };
  }

  private async pollOne(
    addr: string,
    count: { slots: number[]; masters: Set<string> },
    plan: ReturnType<ClusterCollector['viewPlan']>,
  ): Promise<NodeReport> {
    if (!dialAllowed(this.cluster, addr))
      return { addr, ok: false, error: notPolledOutside(addr), outsideNodeNetworks: true };
    const since = this.inFlight.get(addr);
    if (since !== undefined) {
      return {
        addr,
        ok: false,
        error: `no reply within ${this.cluster.nodeDeadlineMs} ms (still waiting, ${Math.round((Date.now() - since) / 1000)} s)`,
      };
    }
    const now = Date.now();
    const refusedHere = this.refusals.get(addr) ?? new Map<string, { at: number; refused: RefusedCommand }>();
    const allowed = (command: OptionalCommand) =>
      now - (refusedHere.get(OPTIONAL_COMMANDS[command].acl)?.at ?? 0) > REFUSAL_RETRY_MS;
    const withConfig = allowed('config') && now - (this.configs.get(addr)?.at ?? 0) > CONFIG_REFRESH_MS;
    const withLatency = allowed('latency') && now - (this.latencies.get(addr)?.at ?? 0) > LATENCY_REFRESH_MS;
    const withNodes = plan.read(addr);
    const report = await pollNode(addr, this.client(addr), {
      deadlineMs: this.cluster.nodeDeadlineMs,
      withClusterInfo: allowed('clusterInfo'),
      withConfig,
      withLatency,
      // The threshold rides with the latency read, and is not asked of a node that refused CONFIG GET lately.
      withLatencyThreshold: allowed('config'),
      countKeysIn: allowed('countKeys') && count.masters.has(addr) ? count.slots : [],
      secrets: this.cluster.password ? [this.cluster.password] : [],
      views: this.views,
      withNodes,
      keepTimes: plan.keepTimes(addr),
      onSent: (roundTrip) => {
        this.inFlight.set(addr, Date.now());
        roundTrip.finally(() => this.inFlight.delete(addr)).catch(() => {});
      },
    });
    if (!report.ok) {
      // Back from a failure, the node's view is read again, whatever its CLUSTER INFO says (parsed again only if it
      // changed: a node that merely missed a deadline costs one read).
      this.rereadView.add(addr);
      return report;
    }
    if (withNodes) this.rereadView.delete(addr);
    if (plan.watchInfo) {
      const info = clusterInfoKey(report.clusterInfo);
      if (info === undefined) this.infoNow.delete(addr);
      else this.infoNow.set(addr, info);
      if (withNodes) {
        if (info === undefined) this.infoAtView.delete(addr);
        else this.infoAtView.set(addr, info);
      }
    }
    for (const refused of report.refused ?? []) refusedHere.set(refused.command, { at: now, refused });
    this.refusals.set(addr, refusedHere);
    // A refused CONFIG GET (an ACL without it) is not retried every poll either.
    if (withConfig)
      this.configs.set(addr, { values: report.clusterConfig ?? this.configs.get(addr)?.values ?? {}, at: Date.now() });
    if (report.latency) this.latencies.set(addr, { value: report.latency, at: Date.now() });
    const cached = this.configs.get(addr)?.values;
    const latency = this.latencies.get(addr)?.value;
    const refused = [...refusedHere.values()].map((r) => r.refused);
    return {
      ...report,
      ...(cached ? { clusterConfig: cached } : {}),
      ...(latency ? { latency } : {}),
      ...(refused.length ? { refused } : {}),
    };
  }

  /**
   * Slots worth a COUNTKEYSINSLOT this poll, as redis-cli --cluster check does for them: open slots, uncovered slots
   * and slots claimed twice, asked of every master (the owner's count too, for fix plans). Computed once per poll.
   */
  private countPlan(): { slots: number[]; masters: Set<string> } {
    const snapshot = this.previous;
    if (!snapshot) return { slots: [], masters: new Set() };
    const slots = slotsWorthCounting(snapshot).slice(0, MAX_SLOTS_COUNTED);
    const masters = new Set(
      slots.length ? snapshot.nodes.filter((n) => n.role === 'master').map((n) => n.connectAddr ?? n.addr) : [],
    );
    return { slots, masters };
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
    // One deadline for the whole round (not a timer per node: 1,000 nodes sampled 4 times a second).
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      await Promise.all(
        members.map(async ({ id, addr }) => {
          const connection = this.clients.get(addr);
          if (connection?.redis.status !== 'ready' || this.inFlight.has(addr)) return;
          const started = performance.now();
          try {
            if ((await Promise.race([connection.call('PING'), deadline])) !== 'timeout')
              results.set(id, performance.now() - started);
          } catch {
            // an unanswered PING is not a latency sample; the poll reports the node's state
          }
        }),
      );
    } finally {
      clearTimeout(timer);
    }
    return results;
  }

  async collect(): Promise<ClusterSnapshot> {
    if (this.closed) throw new Error('collector is closed');
    const collectedAt = new Date();
    const started = performance.now();
    // Planned at the end of the previous poll (from its snapshot), so nothing delays sending this one.
    const count = this.nextCount ?? this.countPlan();
    const targets = this.targets();
    const plan = this.viewPlan(targets);
    const reports = await Promise.all(targets.map((addr) => this.pollOne(addr, count, plan)));
    // Members the answering nodes list that were not asked (the first poll knows only the seeds; a node that just
    // joined) are asked now, in the same poll, views included: never shown unreachable only because the dashboard
    // had not asked yet.
    const asked = new Set(targets);
    // Looked for by node id (known ids are the previous snapshot's): no address built per line of every view.
    const known = new Set(this.previous?.nodes.map((n) => n.id));
    const fresh = reports.filter((r) => r.ok && !r.viewFromEarlierPoll);
    const unknownLines = fresh.flatMap((r) => (r.ok ? r.nodes.filter((line) => !known.has(line.id)) : []));
    const found = [...new Set(this.addrsListed(unknownLines))].filter((a) => !asked.has(a));
    if (found.length) {
      const discovery = { read: () => true, keepTimes: () => true, watchInfo: plan.watchInfo };
      reports.push(...(await Promise.all(found.map((addr) => this.pollOne(addr, count, discovery)))));
    }
    const snapshot = buildSnapshot({
      clusterId: this.cluster.id,
      clusterName: this.cluster.name,
      collectedAt,
      pollDurationMs: Math.round(performance.now() - started),
      reports,
      connectAddr: this.connectAddr,
      previous: this.previous,
      user: this.cluster.username ?? 'default',
    });
    this.previous = snapshot;
    this.nextCount = this.countPlan();
    for (const report of reports) {
      const self = report.ok ? selfLine(report) : undefined;
      if (report.ok && self) this.lastInfo.set(self.id, report.info);
    }
    const ids = new Set(snapshot.nodes.map((n) => n.id));
    for (const id of this.lastInfo.keys()) if (!ids.has(id)) this.lastInfo.delete(id);
    if (snapshot.nodes.length > 0) this.members = this.addrsListed(snapshot.nodes);
    this.dropStaleClients();
    return snapshot;
  }

  /** The addresses to poll for these members: with a port, past the handshake, the natMap applied. */
  private addrsListed(nodes: ReadonlyArray<Pick<ClusterNodeLine, 'host' | 'port' | 'flags'>>): string[] {
    return nodes
      .filter((n) => n.port > 0 && !n.flags.includes('handshake'))
      .map((n) => this.connectAddr(announcedAddr(n)));
  }

  private dropStaleClients() {
    const keep = new Set(this.targets());
    for (const [addr, client] of this.clients) {
      if (keep.has(addr)) continue;
      client.close();
      this.clients.delete(addr);
      this.refusals.delete(addr);
      this.configs.delete(addr);
      this.latencies.delete(addr);
      this.views.forget(addr);
      this.infoAtView.delete(addr);
      this.infoNow.delete(addr);
      this.rereadView.delete(addr);
    }
  }

  close(): void {
    this.closed = true;
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}
