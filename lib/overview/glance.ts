import { nodeCounts } from '../cluster/nodeCounts';
import { shardColors } from '../cluster/shardColors';
import { masterOverlayReason } from '../cluster/slotOverlay';
import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import type { Finding, Severity } from '../findings/types';
import {
  type ClusterHealth,
  clusterHealth,
  findingHeadline,
  HEALTH_LABEL,
  type Health,
  staleHealth,
} from '../health/clusterHealth';

/**
 * What the overview cards and the wall tiles show of one cluster, from one snapshot and its findings: the health (stale
 * data is never green), the counts the cluster page shows, and one entry per shard. Pure, so both screens agree.
 */

/**
 * A shard's master as the wall's strip shows it: never by colour alone, always with this word. notPolled: the master,
 * or the only replica that could take over, is outside nodeNetworks, so the dashboard cannot judge the shard.
 */
export type ShardState = 'up' | 'suspected' | 'down' | 'unreachable' | 'noReplica' | 'notPolled';

export interface ShardGlance {
  masterId: string;
  addr: string;
  /** Categorical shard colour (identity, never status). */
  color: string;
  state: ShardState;
  slotCount: number;
  /** "0–5460", with "+" when the master owns more than one range. */
  slotLabel: string;
}

export interface MemoryGlance {
  used: number;
  max: number;
  /** used / max, 0..1+ */
  ratio: number;
  /** Masters whose maxmemory is set (the ones summed). */
  masters: number;
}

/** The worst finding as the screens name it: no node ids, no message, no advice. */
export interface FindingHeadline {
  code: string;
  severity: Severity;
  headline: string;
}

/** The health a glance carries: the cluster's health with its worst finding's headline, not the finding itself. */
export interface GlanceHealth {
  health: Health;
  headline: string;
  worst?: FindingHeadline;
  critical: number;
  warning: number;
}

export interface ClusterGlance {
  health: GlanceHealth;
  /** The headline without its leading health word ("5,461 slots (33 %) on a master that does not answer"). */
  detail: string;
  /** Polled nodes that answer. */
  nodesUp: number;
  /** Nodes the dashboard polls (nodes outside nodeNetworks are not counted here: see nodesNotPolled). */
  nodesKnown: number;
  /** Nodes the cluster lists outside its nodeNetworks: never polled, so neither up nor down here. */
  nodesNotPolled: number;
  /** Masters that own at least one slot, as the cluster page counts them (CLUSTER INFO cluster_size). */
  masters: number;
  /** Summed over masters with maxmemory set; undefined when none has it. */
  memory?: MemoryGlance;
  /** Sum of instantaneous_ops_per_sec over the masters that answered (replicas replay the masters' writes). */
  opsPerSec: number;
  shards: ShardGlance[];
}

/** Masters that own slots, as CLUSTER INFO cluster_size says (what the cluster page shows); counted when it is absent. */
export function mastersWithSlots(snapshot: ClusterSnapshot): number {
  const size = snapshot.state.cluster_size;
  if (typeof size === 'number' && Number.isFinite(size)) return size;
  return snapshot.nodes.filter((n) => n.role === 'master' && n.slotCount > 0).length;
}

/** A shard's state as the slot map's overlay reads it, so the wall and the map never disagree. */
export function shardState(node: SnapshotNode, snapshot: ClusterSnapshot): ShardState {
  const reason = masterOverlayReason(snapshot, node);
  if (reason === 'fail') return 'down';
  if (reason === 'pfail') return 'suspected';
  if (node.outsideNodeNetworks) return 'notPolled';
  if (reason === 'unreachable' || !node.reachable) return 'unreachable';
  if (reason === 'noReplica') return replicaNotPolled(snapshot, node) ? 'notPolled' : 'noReplica';
  return 'up';
}

/** A replica of `master` that the cluster does not flag but the dashboard does not poll: it may well take over. */
function replicaNotPolled(snapshot: ClusterSnapshot, master: SnapshotNode): boolean {
  return snapshot.nodes.some(
    (n) =>
      n.role === 'replica' &&
      n.masterId === master.id &&
      n.outsideNodeNetworks === true &&
      !n.flags.includes('fail') &&
      !n.flags.includes('fail?'),
  );
}

function slotLabel(node: SnapshotNode): string {
  const first = node.slots[0];
  if (!first) return '';
  const range = first[0] === first[1] ? `${first[0]}` : `${first[0]}–${first[1]}`;
  return node.slots.length > 1 ? `${range} +` : range;
}

/** One entry per master that owns slots, in slot order (the order shard colours are given in). */
export function shardGlances(snapshot: ClusterSnapshot): ShardGlance[] {
  const colours = shardColors(snapshot.nodes);
  return snapshot.nodes
    .filter((n) => n.role === 'master' && n.slotCount > 0)
    .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0))
    .map((n) => ({
      masterId: n.id,
      addr: n.addr,
      color: colours.get(n.id) ?? '#BBBBBB',
      state: shardState(n, snapshot),
      slotCount: n.slotCount,
      slotLabel: slotLabel(n),
    }));
}

export function memoryGlance(nodes: readonly SnapshotNode[]): MemoryGlance | undefined {
  let used = 0;
  let max = 0;
  let masters = 0;
  for (const n of nodes) {
    if (n.role !== 'master' || n.slotCount === 0 || !n.info || n.info.maxmemory <= 0) continue;
    used += n.info.used_memory;
    max += n.info.maxmemory;
    masters++;
  }
  return masters ? { used, max, ratio: used / max, masters } : undefined;
}

/** The headline's words after "DEGRADED — ". */
export function headlineDetail(health: Pick<ClusterHealth, 'health' | 'headline'>): string {
  const prefix = `${HEALTH_LABEL[health.health]} — `;
  return health.headline.startsWith(prefix) ? health.headline.slice(prefix.length) : health.headline;
}

export function clusterGlance(
  snapshot: ClusterSnapshot,
  findings: readonly Finding[],
  options: { stale?: boolean; staleSince?: string } = {},
): ClusterGlance {
  const health = glanceHealth(clusterHealth(findings, options));
  let opsPerSec = 0;
  for (const n of snapshot.nodes)
    if (n.role === 'master' && n.reachable && n.info) opsPerSec += n.info.instantaneous_ops_per_sec;
  const nodes = nodeCounts(snapshot);
  return {
    health,
    detail: headlineDetail(health),
    nodesUp: nodes.answering,
    nodesKnown: nodes.polled,
    nodesNotPolled: nodes.notPolled,
    masters: mastersWithSlots(snapshot),
    memory: memoryGlance(snapshot.nodes),
    opsPerSec,
    shards: shardGlances(snapshot),
  };
}

function glanceHealth({ health, headline, worst, critical, warning }: ClusterHealth): GlanceHealth {
  return {
    health,
    headline,
    ...(worst ? { worst: { code: worst.code, severity: worst.severity, headline: findingHeadline(worst) } } : {}),
    critical,
    warning,
  };
}

/** A glance whose data stopped updating: UNKNOWN, the last state still in words (see staleHealth). */
export function staleGlance<G extends ClusterGlance>(glance: G, staleSince: string | undefined): G {
  const health = staleHealth(glance.health, glance.health.worst?.headline, staleSince);
  return { ...glance, health, detail: headlineDetail(health) };
}

/** Memory use as the screens print it: "42 %", or "no maxmemory" when no master has one. */
export function formatMemoryPct(memory: MemoryGlance | undefined): string {
  if (!memory) return 'no maxmemory';
  const pct = memory.ratio * 100;
  return `${pct < 10 ? pct.toFixed(1) : Math.round(pct)} %`;
}

/** Memory tone: warning from 90 % (the findings' threshold), critical when full. */
export function memoryTone(memory: MemoryGlance | undefined): 'warn' | 'crit' | undefined {
  if (!memory) return undefined;
  return memory.ratio >= 1 ? 'crit' : memory.ratio >= 0.9 ? 'warn' : undefined;
}
