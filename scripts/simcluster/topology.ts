// The simulated cluster's one shared truth: nodes, roles, slot ranges, epochs, failure states and open slots. Every
// node's view is derived from it (clusterText.ts, infoText.ts); `generation` moves on each change so cached replies
// know when to rebuild.
import { randomBytes } from 'node:crypto';
import type { SlotRange } from '../../lib/redis/slots';
import type { FlagOptions, SimClusterOptions, SimFlag, SimNodeInfo, SimRole } from './protocol';

export const DEFAULT_SIM_HOSTS = Array.from({ length: 10 }, (_, i) => `127.0.0.${101 + i}`);

export interface SimNode {
  index: number;
  id: string;
  host: string;
  /** 0 until the node's listener is bound. */
  port: number;
  role: SimRole;
  masterId: string | undefined;
  /** A master's own config epoch; a replica reports its master's (nodeEpoch in cluster.c). */
  configEpoch: number;
  slots: SlotRange[];
  failure: SimFlag;
  /** When the other nodes last heard from it (frozen while it is PFAIL/FAIL). */
  failedAt: number;
  hung: boolean;
  down: boolean;
  /** The replica that took this master's slots while it was FAIL: it rejoins as its replica. */
  replacedBy: string | undefined;
  runId: string;
  replId: string;
  pid: number;
  startedAt: number;
  /** Per-node phase (ms) so pong times and counters do not all move in step. */
  phase: number;
  /** Replication offset at `startedAt`, and bytes per second it grows by (the master's, for a replica). */
  offsetBase: number;
  offsetRate: number;
  /** A replica's offset frozen when its link went down. */
  frozenOffset: number | undefined;
}

/** Even, contiguous ranges, as scripts/devcluster/cluster.ts evenSlotRanges (not imported: it pulls in ioredis). */
function evenSlotRanges(masters: number): SlotRange[] {
  return Array.from({ length: masters }, (_, i) => [
    Math.floor((i * 16384) / masters),
    Math.floor(((i + 1) * 16384) / masters) - 1,
  ]);
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export function busPortOf(port: number): number {
  return port + 10000 <= 65535 ? port + 10000 : port - 10000;
}

export class SimTopology {
  readonly nodes: SimNode[] = [];
  private readonly byId = new Map<string, SimNode>();
  /** slot -> the open move: MIGRATING on `from`'s own line, IMPORTING on `to`'s. */
  readonly openSlots = new Map<number, { from: string; to: string }>();
  currentEpoch: number;
  generation = 0;
  readonly nodeTimeoutMs: number;

  constructor(readonly options: SimClusterOptions) {
    const hosts = options.hosts?.length ? options.hosts : DEFAULT_SIM_HOSTS;
    this.nodeTimeoutMs = options.nodeTimeoutMs ?? 15_000;
    const now = Date.now();
    const ranges = evenSlotRanges(options.masters);
    const make = (index: number, host: string, role: SimRole, masterId: string | undefined): SimNode => ({
      index,
      id: hex(20),
      host,
      port: 0,
      role,
      masterId,
      configEpoch: 0,
      slots: [],
      failure: 'ok',
      failedAt: 0,
      hung: false,
      down: false,
      replacedBy: undefined,
      runId: hex(20),
      replId: hex(20),
      pid: 1000 + ((index * 7919) % 60000),
      startedAt: now - 3_600_000 - ((index * 104729) % 86_400_000),
      phase: (index * 7_727) % 100_000,
      offsetBase: 1_000_000 + index * 1_337,
      offsetRate: 500 + ((index * 37) % 2000),
      frozenOffset: undefined,
    });
    for (let m = 0; m < options.masters; m++) {
      const master = make(m, hosts[m % hosts.length] ?? '127.0.0.1', 'master', undefined);
      master.configEpoch = m + 1;
      const range = ranges[m];
      master.slots = range ? [range] : [];
      this.add(master);
    }
    for (let m = 0; m < options.masters; m++) {
      const master = this.nodes[m];
      if (!master) continue;
      for (let r = 0; r < options.replicasPerMaster; r++) {
        const replica = make(this.nodes.length, hosts[(m + 1 + r) % hosts.length] ?? '127.0.0.1', 'replica', master.id);
        replica.offsetBase = master.offsetBase;
        replica.offsetRate = master.offsetRate;
        replica.replId = master.replId;
        this.add(replica);
      }
    }
    this.currentEpoch = options.masters;
  }

  private add(node: SimNode) {
    this.nodes.push(node);
    this.byId.set(node.id, node);
  }

  get(id: string): SimNode | undefined {
    return this.byId.get(id);
  }

  require(id: string): SimNode {
    const node = this.byId.get(id);
    if (!node) throw new Error(`no simulated node ${id}`);
    return node;
  }

  masterOf(node: SimNode): SimNode | undefined {
    return node.masterId ? this.byId.get(node.masterId) : undefined;
  }

  replicasOf(master: SimNode): SimNode[] {
    return this.nodes.filter((n) => n.masterId === master.id);
  }

  /** The epoch CLUSTER NODES shows for a node: its own for a master, its master's for a replica. */
  epochOf(node: SimNode): number {
    return node.role === 'replica' ? (this.masterOf(node)?.configEpoch ?? node.configEpoch) : node.configEpoch;
  }

  /** A replica's link to its master is down when the master failed or cannot be reached. */
  linkUp(node: SimNode): boolean {
    const master = this.masterOf(node);
    return master !== undefined && master.failure === 'ok' && !master.down && node.failure !== 'fail' && !node.down;
  }

  replOffset(node: SimNode, now: number): number {
    const source = node.role === 'replica' ? (this.masterOf(node) ?? node) : node;
    const live = Math.floor(source.offsetBase + ((now - source.startedAt) / 1000) * source.offsetRate);
    if (node.role === 'master') return live;
    return node.frozenOffset ?? live;
  }

  flag(id: string, flag: SimFlag, options: FlagOptions): void {
    const node = this.require(id);
    const now = Date.now();
    const before = node.failure;
    if (flag !== 'ok' && node.failure === 'ok') node.failedAt = now;
    if (flag === 'ok') this.recover(node);
    node.failure = flag;
    for (const replica of this.replicasOf(node))
      replica.frozenOffset = flag === 'ok' ? undefined : (replica.frozenOffset ?? this.replOffset(replica, now));
    const spreadMs = Math.max(0, options.spreadMs ?? 0);
    this.transitions = this.transitions.filter((t) => t.nodeId !== id);
    if (spreadMs > 0 && before !== flag)
      this.transitions.push({ nodeId: id, before, after: flag, startAt: now, spreadMs });
    if (flag === 'fail' && options.promote) {
      if (spreadMs > 0) this.later(spreadMs, () => node.failure === 'fail' && this.promoteReplicaOf(node));
      else this.promoteReplicaOf(node);
    }
    this.generation++;
  }

  /** Changes still spreading (flag with spreadMs): each observer adopts at its own moment in the window. */
  private transitions: Array<{ nodeId: string; before: SimFlag; after: SimFlag; startAt: number; spreadMs: number }> =
    [];

  private later(ms: number, change: () => void) {
    setTimeout(() => {
      change();
      this.generation++;
    }, ms).unref();
  }

  /**
   * Views that differ from the shared one at `now` because a change is still spreading: node index -> the failure
   * state `observer` sees it in. Empty almost always.
   */
  pendingViews(observer: SimNode, now: number): Map<number, SimFlag> {
    const out = new Map<number, SimFlag>();
    if (this.transitions.length === 0) return out;
    this.transitions = this.transitions.filter((t) => now < t.startAt + t.spreadMs);
    for (const t of this.transitions) {
      const node = this.byId.get(t.nodeId);
      if (!node || node === observer) continue;
      // Each observer's own moment in the window, spread evenly by its index.
      const adoptAt = t.startAt + ((observer.index * 7919) % t.spreadMs);
      const seen = now < adoptAt ? t.before : t.after === 'fail' ? 'pfail' : t.after;
      if (seen !== node.failure) out.set(node.index, seen);
    }
    return out;
  }

  private promoteReplicaOf(master: SimNode): void {
    if (master.role !== 'master' || master.slots.length === 0) return;
    const winner = this.replicasOf(master).find((r) => r.failure === 'ok' && !r.down);
    if (!winner) return;
    this.currentEpoch++;
    winner.role = 'master';
    winner.masterId = undefined;
    winner.configEpoch = this.currentEpoch;
    winner.slots = master.slots;
    winner.offsetBase = this.replOffset(winner, Date.now());
    winner.startedAt = Date.now();
    winner.frozenOffset = undefined;
    master.slots = [];
    master.replacedBy = winner.id;
    for (const replica of this.replicasOf(master)) {
      replica.masterId = winner.id;
      replica.frozenOffset = undefined;
    }
    for (const [slot, move] of this.openSlots) {
      if (move.from === master.id || move.to === master.id) this.openSlots.delete(slot);
    }
  }

  /** A master failed over while away comes back as a replica of the node that replaced it. */
  private recover(node: SimNode) {
    const replacement = node.replacedBy ? this.byId.get(node.replacedBy) : undefined;
    node.replacedBy = undefined;
    if (!replacement || node.role !== 'master' || node.slots.length > 0) return;
    node.role = 'replica';
    node.masterId = replacement.role === 'master' ? replacement.id : replacement.masterId;
    node.configEpoch = 0;
  }

  setHung(id: string, on: boolean): SimNode {
    const node = this.require(id);
    node.hung = on;
    return node;
  }

  setDown(id: string, on: boolean): SimNode {
    const node = this.require(id);
    node.down = on;
    this.generation++;
    return node;
  }

  openSlot(slot: number, fromId: string, toId: string): void {
    if (!Number.isInteger(slot) || slot < 0 || slot > 16383) throw new Error(`not a slot: ${slot}`);
    const from = this.require(fromId);
    const to = this.require(toId);
    if (from.role !== 'master' || to.role !== 'master') throw new Error('an open slot is between two masters');
    if (!from.slots.some(([a, b]) => slot >= a && slot <= b)) throw new Error(`${fromId} does not own slot ${slot}`);
    this.openSlots.set(slot, { from: fromId, to: toId });
    this.generation++;
  }

  closeSlot(slot: number): void {
    this.openSlots.delete(slot);
    this.generation++;
  }

  info(): SimNodeInfo[] {
    return this.nodes.map((n) => ({
      id: n.id,
      host: n.host,
      port: n.port,
      addr: `${n.host}:${n.port}`,
      role: n.role,
      ...(n.masterId ? { masterId: n.masterId } : {}),
      failure: n.failure,
      hung: n.hung,
      down: n.down,
    }));
  }
}
