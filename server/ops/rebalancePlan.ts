import 'server-only';
import type { RebalanceRequest } from '@/lib/api/schemas';
import type { SnapshotNode } from '@/lib/cluster/types';
import { formatBytes, formatCount } from '@/lib/format';
import type { RebalancePreview } from '@/lib/jobs/rebalancePreview';
import { drainPlan, planRebalance, type RebalanceInput, type RebalancePlan } from '@/lib/plan/rebalance';
import { PlanError } from '@/lib/plan/reshard';
import { drainRoleCheck, unreplicatedTargetChecks } from '@/lib/plan/roleNotes';
import { rangesFromSlots } from '@/lib/redis/slots';
import { ApiError } from '../api/errors';
import type { ClusterPoller } from '../collect/poller';
import { MigrationConnections } from '../migrate/connections';
import { DEFAULT_ENGINE_SETTINGS, type PlannedMove } from '../migrate/engine';
import { measuredRate } from '../migrate/rate';
import { holdingJob } from './operationGuard';
import {
  check,
  clusterGate,
  countKeys,
  memoryCheck,
  migrationNodes,
  sizeKeys,
  sourcesCheck,
  spreadSample,
  targetChecks,
} from './reshardPlan';

/** Keys of a master whose MEMORY USAGE is read for "balance by memory": this many slots, this many keys in each. */
const MEMORY_SAMPLE_SLOTS = 32;
const MEMORY_SAMPLE_PER_SLOT = 4;

export interface RebalancePreparation {
  preview: RebalancePreview;
  /** The engine's moves, in the plan's order. */
  moves: PlannedMove[];
  keysTotal: number;
  /** Sampled MEMORY USAGE per key over the slots that move (the engine's first batch size). */
  meanKeyBytes?: number;
  /** Sampled keys at least the engine's big-key size: each moves alone, with a timeout scaled to its size. */
  bigKeys: Array<{ slot: number; key: string; bytes: number }>;
  ms: number;
  /** A drain: the drained master's replicas when planned (the job says whether they followed it). */
  formerReplicas: string[];
  /** A drain: the master emptied. */
  drainedId?: string;
}

/** Slots sampled per source for key sizes, and keys per sampled slot. */
const SIZE_SAMPLE_SLOTS = 32;
const SIZE_SAMPLE_PER_SLOT = 4;

type Target =
  | { kind: 'rebalance'; request: RebalanceRequest }
  | { kind: 'drain'; nodeId: string; weights?: Record<string, number> };

/**
 * Plans a rebalance (or a drain) from a poll started now: the per-slot key counts of every master (COUNTKEYSINSLOT
 * over its slots, pipelined) and, for "memory", a few sampled MEMORY USAGE per master; the plan; redis-cli's gate and
 * every master involved reachable and healthy. Reads only.
 */
export async function prepareRebalance(poller: ClusterPoller, target: Target): Promise<RebalancePreparation> {
  const started = Date.now();
  const snapshot = await poller.fresh().catch((err: unknown) => {
    throw new ApiError('not_ready', `could not read the cluster: ${err instanceof Error ? err.message : String(err)}`);
  });
  const masters = snapshot.nodes.filter((n) => n.role === 'master' && !n.flags.includes('fail'));
  const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
  const conns = new MigrationConnections(poller.cluster, migrationNodes(snapshot));
  try {
    const by = target.kind === 'rebalance' ? (target.request.by ?? 'slots') : 'slots';
    const keysBySlot = new Map<number, number>();
    const bytesBySlot = new Map<number, number>();
    for (const master of masters.filter((m) => m.reachable && m.slotCount > 0)) {
      const slots = ownedSlots(master);
      const counts = await countKeys(conns, master.id, slots);
      for (const [slot, n] of counts) keysBySlot.set(slot, n);
      if (by !== 'memory') continue;
      const sized = await sizeKeys(conns, master.id, spreadSample(counts, MEMORY_SAMPLE_SLOTS), MEMORY_SAMPLE_PER_SLOT);
      const mean = sized.length ? sized.reduce((a, k) => a + k.bytes, 0) / sized.length : 0;
      for (const [slot, n] of counts) bytesBySlot.set(slot, Math.round(n * mean));
    }
    const input: RebalanceInput = {
      nodes: snapshot.nodes,
      keysBySlot,
      ...(by === 'memory' ? { bytesBySlot } : {}),
    };
    let plan: RebalancePlan;
    try {
      plan =
        target.kind === 'rebalance'
          ? planRebalance(input, {
              ...(target.request.weights ? { weights: target.request.weights } : {}),
              ...(target.request.threshold !== undefined ? { threshold: target.request.threshold } : {}),
              ...(target.request.useEmptyMasters !== undefined
                ? { useEmptyMasters: target.request.useEmptyMasters }
                : {}),
              by,
            })
          : drainPlan(input, target.nodeId, target.weights);
    } catch (err) {
      if (err instanceof PlanError) throw new ApiError('bad_request', err.message);
      throw err;
    }
    const involved = [...new Set(plan.moves.flatMap((m) => [m.from, m.to]))]
      .map((id) => byId.get(id))
      .filter((n): n is SnapshotNode => n !== undefined);
    const checks = clusterGate(snapshot);
    const sources = involved.filter((n) => plan.moves.some((m) => m.from === n.id));
    const targets = involved.filter((n) => plan.moves.some((m) => m.to === n.id));
    if (sources.length) checks.push(sourcesCheck(sources));
    for (const t of targets) checks.push(...targetChecks(t).filter((c) => c.status === 'fail'));
    checks.push(...unreplicatedTargetChecks(snapshot.nodes, targets, (id) => plan.after[id]?.slots ?? 0));
    const drained = target.kind === 'drain' ? byId.get(target.nodeId) : undefined;
    if (drained && plan.moves.length) checks.push(drainRoleCheck(drained, targets.length));
    const holder = holdingJob(poller.cluster.id);
    checks.push(
      holder
        ? check(
            'no other operation on this cluster',
            'fail',
            `${holder.kind} ${holder.id}`,
            `${holder.kind} job ${holder.id} started by ${holder.startedBy} is ${holder.state === 'running' ? 'running' : 'holding open slots'}`,
          )
        : check('no other operation on this cluster', 'pass', 'none'),
    );
    const moves: PlannedMove[] = plan.moves.flatMap((m) =>
      m.slots.map((slot) => ({ slot, sourceId: m.from, targetId: m.to })),
    );
    const keys = moves.reduce((a, m) => a + (keysBySlot.get(m.slot) ?? 0), 0);
    // Key sizes over the slots that move, a few per slot per source: the engine's first batch size, the big keys
    // that move alone, and each target's memory headroom.
    const sized: Array<{ slot: number; key: Buffer; bytes: number }> = [];
    for (const source of sources.filter((n) => n.reachable)) {
      const moving = new Map(
        moves.filter((m) => m.sourceId === source.id).map((m) => [m.slot, keysBySlot.get(m.slot) ?? 0] as const),
      );
      sized.push(...(await sizeKeys(conns, source.id, spreadSample(moving, SIZE_SAMPLE_SLOTS), SIZE_SAMPLE_PER_SLOT)));
    }
    const meanKeyBytes = sized.length ? sized.reduce((a, k) => a + k.bytes, 0) / sized.length : undefined;
    const bigKeyBytes = DEFAULT_ENGINE_SETTINGS.bigKeyBytes;
    const bigKeys = sized
      .filter((k) => k.bytes >= bigKeyBytes)
      .map((k) => ({ slot: k.slot, key: k.key.toString('utf8'), bytes: k.bytes }));
    for (const t of targets) {
      const incoming = moves.filter((m) => m.targetId === t.id).reduce((a, m) => a + (keysBySlot.get(m.slot) ?? 0), 0);
      const headroom = memoryCheck(t, Math.round(incoming * (meanKeyBytes ?? 0)), true);
      checks.push({ ...headroom, name: `memory headroom on ${t.addr}` });
    }
    if (bigKeys.length)
      checks.push(
        check(
          `no key over ${formatBytes(bigKeyBytes)}`,
          'warn',
          `${bigKeys.length} big key(s) among those sampled`,
          'each moves alone, with a timeout scaled to its size; both nodes block while MIGRATE serialises it',
        ),
      );
    const rate = measuredRate(poller.cluster.id);
    const weights = target.kind === 'rebalance' ? (target.request.weights ?? {}) : (target.weights ?? {});
    const preview: RebalancePreview = {
      moves: plan.moves.map((m) => ({
        from: m.from,
        to: m.to,
        slots: rangesFromSlots(m.slots),
        slotCount: m.slots.length,
        keys: m.slots.reduce((a, s) => a + (keysBySlot.get(s) ?? 0), 0),
      })),
      before: plan.before,
      after: plan.after,
      masters: Object.keys(plan.before).map((id) => ({
        nodeId: id,
        addr: byId.get(id)?.addr ?? id.slice(0, 8),
        weight: target.kind === 'drain' && id === target.nodeId ? 0 : (weights[id] ?? 1),
      })),
      ...(plan.reason ? { reason: plan.reason } : {}),
      slots: moves.length,
      keys,
      ...(rate ? { keysPerSec: rate, etaMs: Math.round((keys / rate) * 1000) } : {}),
      checks,
      allowed: checks.every((c) => c.status !== 'fail'),
    };
    if (moves.length === 0 && !plan.reason) preview.reason = 'nothing to move';
    return {
      preview,
      moves,
      keysTotal: keys,
      ...(meanKeyBytes !== undefined ? { meanKeyBytes } : {}),
      bigKeys,
      ms: Date.now() - started,
      ...(drained ? { drainedId: drained.id } : {}),
      formerReplicas: drained ? snapshot.nodes.filter((n) => n.masterId === drained.id).map((n) => n.id) : [],
    };
  } finally {
    conns.close();
  }
}

function ownedSlots(node: SnapshotNode): number[] {
  const slots: number[] = [];
  for (const [a, b] of node.slots) for (let s = a; s <= b; s++) slots.push(s);
  return slots;
}

/** "3 moves, 1,234 slots, 56,789 keys". */
export function describePlan(preview: RebalancePreview): string {
  return `${preview.moves.length} move(s), ${formatCount(preview.slots)} slot(s), ${formatCount(preview.keys)} key(s)`;
}
