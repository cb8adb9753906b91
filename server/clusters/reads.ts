import 'server-only';
import type { SnapshotNode } from '@/lib/cluster/types';
import { notPolledOutside } from '@/lib/config/nodeNetworks';
import { aclCommandName, isRefusal, type NotPermitted } from '@/lib/redis/refusal';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import type { ResolvedCluster } from '../config/load';
import { NodeConnection } from '../redis/nodeClient';
import { dialAllowed } from '../security/nodeNetworks';

/** What a node answered to a request-driven read: its reply, a refusal of the command, or why it did not answer. */
export type ReadResult =
  | { kind: 'reply'; reply: unknown }
  | { kind: 'not_permitted'; notPermitted: NotPermitted }
  | { kind: 'error'; error: string; busy?: true };

export interface ReadLimits {
  commandTimeoutMs: number;
  /** Round trips in flight per node; the rest wait their turn. */
  inFlightPerNode: number;
  /** Reads waiting per node beyond which a new one is answered "busy" at once. */
  queuePerNode: number;
  /** A node's read connection unused this long is closed (it reopens on the next read). */
  idleMs: number;
  sweepMs: number;
}

export const READ_LIMITS: ReadLimits = {
  commandTimeoutMs: 2000,
  inFlightPerNode: 2,
  queuePerNode: 32,
  idleMs: 30_000,
  sweepMs: 5_000,
};

interface Lane {
  connection: NodeConnection;
  active: number;
  waiting: Array<() => void>;
  lastUsed: number;
}

interface Cached {
  startedAt: number;
  refreshMs: number;
  settled: boolean;
  result: Promise<ReadResult>;
}

const period = (at: number, refreshMs: number) => Math.floor(at / refreshMs);

/**
 * Every Redis command an HTTP request causes, for one cluster. Identical reads share one round trip: while it is in
 * flight, and afterwards until the end of the current refresh period (periods aligned on the clock, so a viewer
 * refetching once per period already sees the most Redis will ever get, however many viewers there are). Reads use
 * connections of their own, never the poller's, so a slow reply can never push a poll past its deadline.
 */
export class ClusterReads {
  private readonly lanes = new Map<string, Lane>();
  private readonly cache = new Map<string, Cached>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly cluster: ResolvedCluster,
    /** Addresses of current members: a read connection to anything else is closed at the next sweep. */
    private readonly members: () => ReadonlySet<string>,
    private readonly limits: ReadLimits = READ_LIMITS,
  ) {
    this.sweeper = setInterval(() => this.sweep(), limits.sweepMs);
    this.sweeper.unref();
  }

  /** `args` on the node at `addr` (an address the dashboard connects to), shared with identical reads. */
  read(addr: string, args: readonly [string, ...string[]], refreshMs: number): Promise<ReadResult> {
    const now = Date.now();
    const key = `${addr}\u0000${args.join('\u0000')}`;
    const cached = this.cache.get(key);
    if (cached && (!cached.settled || period(cached.startedAt, refreshMs) === period(now, refreshMs)))
      return cached.result;
    const entry: Cached = { startedAt: now, refreshMs, settled: false, result: this.roundTrip(addr, args) };
    void entry.result.then((result) => {
      entry.settled = true;
      // "Busy" says nothing about the node: the next request may try again.
      if (result.kind === 'error' && result.busy && this.cache.get(key) === entry) this.cache.delete(key);
    });
    this.cache.set(key, entry);
    return entry.result;
  }

  /** Read connections currently open, by address. */
  openAddrs(): string[] {
    return [...this.lanes.keys()];
  }

  /** Closes idle connections and those to nodes that left; forgets replies of past periods. */
  sweep(now = Date.now()): void {
    const members = this.members();
    for (const [addr, lane] of this.lanes) {
      const idle = lane.active === 0 && lane.waiting.length === 0;
      if (idle && (!members.has(addr) || now - lane.lastUsed > this.limits.idleMs)) {
        lane.connection.close();
        this.lanes.delete(addr);
      }
    }
    for (const [key, entry] of this.cache)
      if (entry.settled && period(entry.startedAt, entry.refreshMs) !== period(now, entry.refreshMs))
        this.cache.delete(key);
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const lane of this.lanes.values()) lane.connection.close();
    this.lanes.clear();
    this.cache.clear();
  }

  private lane(addr: string): Lane {
    let lane = this.lanes.get(addr);
    if (!lane) {
      lane = {
        connection: new NodeConnection(addr, this.cluster, this.limits.commandTimeoutMs),
        active: 0,
        waiting: [],
        lastUsed: Date.now(),
      };
      this.lanes.set(addr, lane);
    }
    return lane;
  }

  private async roundTrip(addr: string, args: readonly [string, ...string[]]): Promise<ReadResult> {
    if (!dialAllowed(this.cluster, addr)) return { kind: 'error', error: notPolledOutside(addr) };
    const lane = this.lane(addr);
    lane.lastUsed = Date.now();
    if (lane.active >= this.limits.inFlightPerNode) {
      if (lane.waiting.length >= this.limits.queuePerNode)
        return { kind: 'error', error: `busy: ${lane.waiting.length} reads already wait for ${addr}`, busy: true };
      await new Promise<void>((resolve) => lane.waiting.push(resolve));
    }
    lane.active++;
    try {
      await lane.connection.ready(this.cluster.connectTimeoutMs);
      const [command, ...rest] = args;
      return { kind: 'reply', reply: await lane.connection.call(command, ...rest) };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isRefusal(message))
        return {
          kind: 'not_permitted',
          notPermitted: { user: this.cluster.username ?? 'default', command: aclCommandName(args) },
        };
      return { kind: 'error', error: describeNodeError(err, this.cluster.password ? [this.cluster.password] : []) };
    } finally {
      lane.active--;
      lane.lastUsed = Date.now();
      lane.waiting.shift()?.();
    }
  }
}

/** The address the dashboard connects to for a node of the snapshot (NAT map applied); undefined for noaddr. */
export function connectAddrOf(node: Pick<SnapshotNode, 'addr' | 'connectAddr'>): string | undefined {
  return node.connectAddr ?? (node.addr || undefined);
}

// On globalThis, like the pollers: one set of read connections per cluster per process, across module reloads.
const KEY = Symbol.for('redis-cluster-dashboard.reads');
type Holder = { [KEY]?: Map<string, { poller: ClusterPoller; reads: ClusterReads }> };

/** The cluster's request-driven reads (created on first use; replaced if the cluster's poller was restarted). */
export function readsFor(poller: ClusterPoller): ClusterReads {
  const holder = globalThis as Holder;
  const registry = holder[KEY] ?? new Map<string, { poller: ClusterPoller; reads: ClusterReads }>();
  holder[KEY] = registry;
  const existing = registry.get(poller.cluster.id);
  if (existing?.poller === poller) return existing.reads;
  existing?.reads.close();
  const reads = new ClusterReads(
    poller.cluster,
    () => new Set((poller.latest?.nodes ?? []).flatMap((n) => connectAddrOf(n) ?? [])),
  );
  registry.set(poller.cluster.id, { poller, reads });
  return reads;
}

/** Closes a cluster's read connections (its poller was stopped: the cluster was removed or changed). */
export function closeReads(clusterId: string): void {
  const registry = (globalThis as Holder)[KEY];
  registry?.get(clusterId)?.reads.close();
  registry?.delete(clusterId);
}
