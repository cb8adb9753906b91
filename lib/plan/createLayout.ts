import { SLOT_COUNT, type SlotRange } from '../redis/slots';

/**
 * The layout of a new cluster, as `redis-cli --cluster create <addrs> --cluster-replicas R` plans it
 * (clusterManagerCommandCreate): the same masters, in the same order, with the same slot ranges, and the same first
 * replica assignment. Only the anti-affinity step differs: redis-cli improves it by random swaps, this planner by a
 * deterministic descent on the same score, which guarantees that no replica sits on its master's host whenever the
 * per-master replica counts redis-cli chose allow it (see improveAntiAffinity).
 */

export interface CreateLayoutInput {
  /** "host:port" in the order the operator gave them: it decides the masters, as redis-cli's argument order does. */
  nodes: readonly string[];
  replicasPerMaster: number;
}

export interface PlannedMaster {
  addr: string;
  host: string;
  slots: SlotRange;
}

export interface PlannedReplica {
  addr: string;
  host: string;
  master: string;
}

export interface HostPreview {
  host: string;
  masters: string[];
  /** Replica address -> its master's address. */
  replicas: Array<{ addr: string; master: string }>;
  /** Nodes that join the cluster as masters without slots. */
  unassigned: string[];
}

export interface AntiAffinity {
  /** redis-cli's clusterManagerGetAntiAffinityScore: 10000 per replica on its master's host, 1 per replica sharing a host with another replica of the same master (counted with it). */
  score: number;
  replicasOnMasterHost: number;
}

export type CreateRefusalCode = 'invalid-address' | 'duplicate-address' | 'invalid-replicas' | 'too-few-masters';

export interface CreateRefusal {
  code: CreateRefusalCode;
  message: string;
}

export interface CreateLayoutPlan {
  masters: PlannedMaster[];
  replicas: PlannedReplica[];
  /**
   * Nodes left over when nodes mod (R + 1) exceeds the number of masters: redis-cli gives at most one extra replica
   * per master and lets the rest join as masters without slots.
   */
  unassigned: string[];
  byHost: HostPreview[];
  antiAffinity: AntiAffinity;
}

export type CreateLayoutResult = { ok: true; plan: CreateLayoutPlan } | { ok: false; refusals: CreateRefusal[] };

export const MIN_MASTERS = 3;

interface ParsedNode {
  addr: string;
  host: string;
}

/** redis-cli splits at the last ':' (so an IPv6 address keeps its colons). */
export function parseNodeAddress(addr: string): ParsedNode | undefined {
  const colon = addr.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const host = addr.slice(0, colon);
  const portText = addr.slice(colon + 1);
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  const port = Number(portText);
  if (port < 1 || port > 65535) return undefined;
  return { addr, host };
}

/**
 * Slot ranges for `masters` masters, with redis-cli's arithmetic: a single-precision float step (16384 / masters),
 * each range ending at lround(cursor + step - 1), the last one at 16383.
 */
export function createSlotRanges(masters: number): SlotRange[] {
  const f = Math.fround;
  const step = f(SLOT_COUNT / f(masters));
  const ranges: SlotRange[] = [];
  let first = 0;
  let cursor = f(0);
  for (let i = 0; i < masters; i++) {
    let last = lround(f(f(cursor + step) - 1));
    if (last > SLOT_COUNT || i === masters - 1) last = SLOT_COUNT - 1;
    if (last < first) last = first;
    ranges.push([first, last]);
    first = last + 1;
    cursor = f(cursor + step);
  }
  return ranges;
}

/** C's lround: halves away from zero (Math.round rounds them up). */
function lround(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}

/** Nodes taken one per host in turn, hosts in order of first appearance (redis-cli's "interleaved" list). */
export function interleaveByHost<T extends { host: string }>(nodes: readonly T[]): T[] {
  const byHost = new Map<string, T[]>();
  for (const node of nodes) {
    const list = byHost.get(node.host);
    if (list) list.push(node);
    else byHost.set(node.host, [node]);
  }
  const queues = [...byHost.values()];
  const out: T[] = [];
  while (out.length < nodes.length) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next) out.push(next);
    }
  }
  return out;
}

function refusalsFor(input: CreateLayoutInput, parsed: Array<ParsedNode | undefined>): CreateRefusal[] {
  const refusals: CreateRefusal[] = [];
  const { replicasPerMaster: replicas, nodes } = input;
  parsed.forEach((node, i) => {
    if (!node) refusals.push({ code: 'invalid-address', message: `Invalid address format: ${nodes[i]}` });
  });
  const seen = new Set<string>();
  for (const addr of nodes) {
    if (seen.has(addr)) refusals.push({ code: 'duplicate-address', message: `${addr} is listed more than once` });
    seen.add(addr);
  }
  if (!Number.isInteger(replicas) || replicas < 0) {
    refusals.push({ code: 'invalid-replicas', message: 'Replicas per master must be a whole number, 0 or more' });
    return refusals;
  }
  const masters = Math.floor(nodes.length / (replicas + 1));
  if (masters < MIN_MASTERS) {
    refusals.push({
      code: 'too-few-masters',
      message:
        `A cluster needs at least ${MIN_MASTERS} masters: ${nodes.length} nodes with ${replicas} replicas per master ` +
        `give ${masters}. At least ${MIN_MASTERS * (replicas + 1)} nodes are required.`,
    });
  }
  return refusals;
}

export function planCreateLayout(input: CreateLayoutInput): CreateLayoutResult {
  const parsed = input.nodes.map(parseNodeAddress);
  const refusals = refusalsFor(input, parsed);
  const nodes = parsed.filter((n): n is ParsedNode => n !== undefined);
  if (refusals.length > 0 || nodes.length !== input.nodes.length) return { ok: false, refusals };

  const replicasPerMaster = input.replicasPerMaster;
  const masterCount = Math.floor(nodes.length / (replicasPerMaster + 1));
  const interleaved = interleaveByHost(nodes);
  const masterNodes = interleaved.slice(0, masterCount);
  const ranges = createSlotRanges(masterCount);
  const masters = masterNodes.map((n, i): PlannedMaster => ({ ...n, slots: ranges[i] ?? [0, 0] }));

  const assignment = assignReplicas(masterNodes, interleaved.slice(masterCount), replicasPerMaster);
  improveAntiAffinity(nodes, assignment);

  const replicas: PlannedReplica[] = [];
  const unassigned: string[] = [];
  for (const node of nodes) {
    if (masterNodes.includes(node)) continue;
    const master = assignment.get(node.addr);
    if (master) replicas.push({ ...node, master });
    else unassigned.push(node.addr);
  }
  return {
    ok: true,
    plan: {
      masters,
      replicas,
      unassigned,
      byHost: previewByHost(nodes, masters, replicas, unassigned),
      antiAffinity: antiAffinityOf(nodes, assignment),
    },
  };
}

/** Replica address -> master address. */
type Assignment = Map<string, string>;

/**
 * redis-cli's first assignment: the non-masters, rotated left by one; each master in turn takes R replicas, each the
 * first free node on another host (else the first free node); then, while nodes are left, one more per master.
 */
function assignReplicas(masters: readonly ParsedNode[], rest: readonly ParsedNode[], replicas: number): Assignment {
  const assignment: Assignment = new Map();
  const free: Array<ParsedNode | undefined> = rest.length > 0 ? [...rest.slice(1), rest[0]] : [];
  let available = free.length;
  const take = (master: ParsedNode): boolean => {
    if (available === 0) return false;
    let index = free.findIndex((n) => n !== undefined && n.host !== master.host);
    if (index < 0) index = free.findIndex((n) => n !== undefined);
    const replica = free[index];
    if (!replica) return false;
    free[index] = undefined;
    available--;
    assignment.set(replica.addr, master.addr);
    return true;
  };
  for (const master of masters) {
    for (let i = 0; i < replicas; i++) if (!take(master)) break;
  }
  for (const master of masters) if (!take(master)) break;
  return assignment;
}

/** redis-cli's clusterManagerGetAntiAffinityScore over the current assignment. */
function antiAffinityOf(nodes: readonly ParsedNode[], assignment: Assignment): AntiAffinity {
  const hostOf = new Map(nodes.map((n) => [n.addr, n.host]));
  // host -> master addr -> { master on this host, replicas of it on this host }
  const groups = new Map<string, Map<string, { master: boolean; replicas: number }>>();
  for (const node of nodes) {
    const master = assignment.get(node.addr);
    const key = master ?? node.addr;
    let hostGroups = groups.get(node.host);
    if (!hostGroups) {
      hostGroups = new Map();
      groups.set(node.host, hostGroups);
    }
    const group = hostGroups.get(key) ?? { master: false, replicas: 0 };
    if (master) group.replicas++;
    else group.master = true;
    hostGroups.set(key, group);
  }
  let score = 0;
  for (const hostGroups of groups.values()) {
    for (const group of hostGroups.values()) {
      const size = group.replicas + (group.master ? 1 : 0);
      if (size < 2) continue;
      score += group.master ? 10000 * (size - 1) : size;
    }
  }
  let replicasOnMasterHost = 0;
  for (const [replica, master] of assignment) if (hostOf.get(replica) === hostOf.get(master)) replicasOnMasterHost++;
  return { score, replicasOnMasterHost };
}

/**
 * Deterministic stand-in for redis-cli's clusterManagerOptimizeAntiAffinity, which swaps the masters of a random
 * offending replica and a random other replica, keeping the swap unless the score grows, 500 x N times. Here: of all
 * swaps between an offending replica (one sharing its host with its master or with another replica of its master) and
 * any other replica, apply the one that lowers the score most (first in argument order on ties), until none lowers it.
 *
 * This ends with no replica on its master's host whenever the per-master replica counts allow it: if replica x still
 * sits with its master M on host H and no swap helps, every replica of a master off H lives on H, so the replicas off
 * H all serve masters on H and number fewer than those masters' replicas (x is one of them and is on H) — which is
 * exactly when no layout can place all of them off H (Hall's condition). A swap that fixes x lowers the score by
 * 10000 and changes the replica-sharing part by a few points only, so it is always taken.
 */
function improveAntiAffinity(nodes: readonly ParsedNode[], assignment: Assignment): void {
  const replicaOrder = nodes.map((n) => n.addr).filter((a) => assignment.has(a));
  const hostOf = new Map(nodes.map((n) => [n.addr, n.host]));
  const groups = new SameHostGroups(hostOf, assignment);
  for (;;) {
    let best: { a: string; b: string; delta: number } | undefined;
    for (const a of groups.offenders(replicaOrder)) {
      for (const b of replicaOrder) {
        const delta = groups.swapDelta(a, b);
        if (delta < (best?.delta ?? 0)) best = { a, b, delta };
      }
    }
    if (!best) return;
    groups.swap(best.a, best.b);
  }
}

/** The score's groups (a host and a master: the master if on that host, and its replicas there), kept as counts. */
class SameHostGroups {
  private readonly replicasIn = new Map<string, number>();

  constructor(
    private readonly hostOf: ReadonlyMap<string, string>,
    private readonly assignment: Assignment,
  ) {
    for (const [replica, master] of assignment) this.add(this.hostOf.get(replica), master, 1);
  }

  /** Replicas sharing their host with their master or with another replica of their master. */
  offenders(replicaOrder: readonly string[]): string[] {
    return replicaOrder.filter((r) => {
      const master = this.assignment.get(r);
      return master !== undefined && this.size(this.hostOf.get(r), master) > 1;
    });
  }

  /** Score change if replicas a and b swapped masters; 0 when the swap changes no group. */
  swapDelta(a: string, b: string): number {
    const ma = this.assignment.get(a);
    const mb = this.assignment.get(b);
    const ha = this.hostOf.get(a);
    const hb = this.hostOf.get(b);
    if (ma === undefined || mb === undefined || ma === mb || ha === hb) return 0;
    return (
      this.scoreAfter(ha, ma, -1) +
      this.scoreAfter(ha, mb, 1) +
      this.scoreAfter(hb, mb, -1) +
      this.scoreAfter(hb, ma, 1)
    );
  }

  swap(a: string, b: string): void {
    const ma = this.assignment.get(a);
    const mb = this.assignment.get(b);
    if (ma === undefined || mb === undefined) return;
    const ha = this.hostOf.get(a);
    const hb = this.hostOf.get(b);
    this.add(ha, ma, -1);
    this.add(hb, mb, -1);
    this.assignment.set(a, mb).set(b, ma);
    this.add(ha, mb, 1);
    this.add(hb, ma, 1);
  }

  private add(host: string | undefined, master: string, change: number): void {
    const key = `${host}\n${master}`;
    this.replicasIn.set(key, (this.replicasIn.get(key) ?? 0) + change);
  }

  private size(host: string | undefined, master: string): number {
    const masterHere = this.hostOf.get(master) === host ? 1 : 0;
    return (this.replicasIn.get(`${host}\n${master}`) ?? 0) + masterHere;
  }

  /** How the group's score changes when `change` replicas join it. */
  private scoreAfter(host: string | undefined, master: string, change: number): number {
    const masterHere = this.hostOf.get(master) === host;
    const score = (size: number) => (size < 2 ? 0 : masterHere ? 10000 * (size - 1) : size);
    const size = this.size(host, master);
    return score(size + change) - score(size);
  }
}

function previewByHost(
  nodes: readonly ParsedNode[],
  masters: readonly PlannedMaster[],
  replicas: readonly PlannedReplica[],
  unassigned: readonly string[],
): HostPreview[] {
  const hosts = [...new Set(nodes.map((n) => n.host))];
  const hostOf = new Map(nodes.map((n) => [n.addr, n.host]));
  return hosts.map((host) => ({
    host,
    masters: masters.filter((m) => m.host === host).map((m) => m.addr),
    replicas: replicas.filter((r) => r.host === host).map((r) => ({ addr: r.addr, master: r.master })),
    unassigned: unassigned.filter((a) => hostOf.get(a) === host),
  }));
}
