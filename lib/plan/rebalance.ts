import { SLOT_COUNT, slotsInRanges } from '../redis/slots';
import { PlanError, type PlanNode, redisCliReshardTable } from './reshard';

export type BalanceBy = 'slots' | 'keys' | 'memory';

export interface RebalanceOptions {
  /** Node id -> weight, default 1 each (redis-cli's --cluster-weight; a float there, rounded to one here too). */
  weights?: Record<string, number>;
  /** Percent, default 2 (--cluster-threshold). */
  threshold?: number;
  /** Default false (--cluster-use-empty-masters). */
  useEmptyMasters?: boolean;
  /** Default 'slots': redis-cli's plan. 'keys' / 'memory' balance the load instead (redis-cli has no such thing). */
  by?: BalanceBy;
}

export interface RebalanceInput {
  /**
   * Every node; replicas are ignored. The order stands for redis-cli's node list, which decides the leftover slots
   * and ties: the entry node first, then the other lines of that node's CLUSTER NODES in their order.
   */
  nodes: readonly PlanNode[];
  /** Per slot key counts / bytes, needed for by 'keys' / 'memory' (missing slot = 0). */
  keysBySlot?: ReadonlyMap<number, number>;
  bytesBySlot?: ReadonlyMap<number, number>;
}

/** `slots` ascending: the exact slots that move. */
export interface RebalanceMove {
  from: string;
  to: string;
  slots: number[];
}

export interface MasterLoad {
  slots: number;
  keys?: number;
  bytes?: number;
}

export interface RebalancePlan {
  /** In redis-cli's order. */
  moves: RebalanceMove[];
  /** Per involved master. */
  before: Record<string, MasterLoad>;
  after: Record<string, MasterLoad>;
  /** Why nothing moves, when moves is empty (e.g. "every master is within 2% of its expected slots"). */
  reason?: string;
}

const DEFAULT_THRESHOLD = 2;
const short = (id: string) => id.slice(0, 8);
const f32 = Math.fround;

interface Involved {
  id: string;
  /** Ascending; shrinks as the plan gives slots away (redis-cli's real run updates its slot map the same way). */
  slots: number[];
  weight: number;
}

function checkInput(input: RebalanceInput, options: RebalanceOptions) {
  const byId = new Map(input.nodes.map((n) => [n.id, n]));
  for (const [id, weight] of Object.entries(options.weights ?? {})) {
    const node = byId.get(id);
    if (!node) throw new PlanError(`weight given for ${short(id)}, which is not a node of this cluster`);
    if (node.role !== 'master') throw new PlanError(`weight given for ${short(id)}, which is not a master`);
    if (!Number.isFinite(weight) || weight < 0)
      throw new PlanError(`the weight of ${short(id)} must be a number ≥ 0, not ${weight}`);
  }
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  if (!Number.isFinite(threshold) || threshold < 0)
    throw new PlanError(`the threshold must be ≥ 0 %, not ${threshold}`);
  const owners = new Map<number, string>();
  for (const node of input.nodes) {
    if (node.role !== 'master') continue;
    for (const slot of slotsInRanges(node.slots)) {
      const other = owners.get(slot);
      if (other !== undefined)
        throw new PlanError(`slot ${slot} is claimed by ${short(other)} and ${short(node.id)}: fix the cluster first`);
      owners.set(slot, node.id);
    }
  }
  if (owners.size !== SLOT_COUNT)
    throw new PlanError(`${SLOT_COUNT - owners.size} slots have no owner: fix the cluster before rebalancing`);
  return threshold;
}

/**
 * The masters redis-cli weighs, in its list order: replicas never; a master without slots only with
 * useEmptyMasters (else its weight is 0 and it is left out); a master with slots always, even at weight 0.
 */
function involvedMasters(input: RebalanceInput, options: RebalanceOptions): Involved[] {
  const involved: Involved[] = [];
  for (const node of input.nodes) {
    if (node.role !== 'master') continue;
    const slots = slotsInRanges(node.slots);
    if (!options.useEmptyMasters && slots.length === 0) continue;
    involved.push({ id: node.id, slots, weight: f32(options.weights?.[node.id] ?? 1) });
  }
  return involved;
}

function sumOver(slots: readonly number[], map: ReadonlyMap<number, number>): number {
  let sum = 0;
  for (const slot of slots) sum += map.get(slot) ?? 0;
  return sum;
}

function loadsOf(involved: readonly Involved[], input: RebalanceInput): Record<string, MasterLoad> {
  const loads: Record<string, MasterLoad> = {};
  for (const n of involved) {
    loads[n.id] = {
      slots: n.slots.length,
      ...(input.keysBySlot ? { keys: sumOver(n.slots, input.keysBySlot) } : {}),
      ...(input.bytesBySlot ? { bytes: sumOver(n.slots, input.bytesBySlot) } : {}),
    };
  }
  return loads;
}

/** `after` from `before` and the moves (slots only leave their `from` and land on their `to`). */
function applyMoves(involved: readonly Involved[], moves: readonly RebalanceMove[], input: RebalanceInput) {
  const slotsOf = new Map(involved.map((n) => [n.id, new Set(n.slots)]));
  for (const move of moves) {
    for (const slot of move.slots) {
      slotsOf.get(move.from)?.delete(slot);
      slotsOf.get(move.to)?.add(slot);
    }
  }
  return loadsOf(
    involved.map((n) => ({ ...n, slots: [...(slotsOf.get(n.id) ?? [])] })),
    input,
  );
}

/**
 * redis-cli's clusterManagerCommandRebalance (Redis 7.0), step for step, as a real run would move the slots:
 * - expected = (int)((16384f / total_weight) * weight), all in C float; balance = slots - expected.
 * - The gate: some master with slots is off by more than threshold % (|100 - 100*expected/slots|), or an empty one
 *   expects more than 1 slot. A threshold of 0 never opens it (redis-cli tests `threshold > 0` first).
 * - The rounding leftover (sum of balances > 0): list order, each master with balance <= 0 (0 included) takes one
 *   more slot to receive, pass after pass until none is left.
 * - A stable sort by balance (glibc's qsort is a merge sort at these sizes), then the most negative (dst) is paired
 *   with the most positive (src) for min(|dst|, |src|) slots, chosen by clusterManagerComputeReshardTable over src
 *   alone (its lowest slots, the ones it still has); an index moves on only once its balance reaches 0.
 */
function planBySlots(involved: Involved[], threshold: number): { moves: RebalanceMove[]; reason?: string } {
  const totalWeight = involved.reduce((sum, n) => f32(sum + n.weight), 0);
  if (involved.length > 0 && totalWeight === 0) throw new PlanError('every master weighs 0: nowhere to put the slots');
  const t = f32(threshold);
  const balance = new Map<string, number>();
  let gate = false;
  for (const n of involved) {
    const expected = Math.trunc(f32(f32(SLOT_COUNT / totalWeight) * n.weight));
    balance.set(n.id, n.slots.length - expected);
    if (t > 0) {
      if (n.slots.length > 0) {
        if (f32(Math.abs(100 - (100 * expected) / n.slots.length)) > t) gate = true;
      } else if (expected > 1) gate = true;
    }
  }
  if (!gate) {
    const reason =
      t > 0
        ? `every master is within ${threshold}% of its expected slots`
        : 'a threshold of 0 turns rebalancing off, as in redis-cli';
    return { moves: [], reason };
  }
  let leftover = [...balance.values()].reduce((a, b) => a + b, 0);
  while (leftover > 0) {
    const before = leftover;
    for (const n of involved) {
      const b = balance.get(n.id) ?? 0;
      if (b <= 0 && leftover > 0) {
        balance.set(n.id, b - 1);
        leftover--;
      }
    }
    if (leftover === before) throw new PlanError('no master can take the rounding leftover (redis-cli would loop)');
  }
  const sorted = [...involved].sort((a, b) => (balance.get(a.id) ?? 0) - (balance.get(b.id) ?? 0));
  const moves: RebalanceMove[] = [];
  let dstIdx = 0;
  let srcIdx = sorted.length - 1;
  while (dstIdx < srcIdx) {
    const dst = sorted[dstIdx];
    const src = sorted[srcIdx];
    if (!dst || !src) break;
    const db = balance.get(dst.id) ?? 0;
    const sb = balance.get(src.id) ?? 0;
    const numSlots = Math.min(Math.abs(db), Math.abs(sb));
    if (numSlots > 0) {
      const table = redisCliReshardTable([{ nodeId: src.id, slots: src.slots }], numSlots);
      if (table.length !== numSlots)
        throw new PlanError(`${short(src.id)} has ${src.slots.length} slots, fewer than the ${numSlots} to move`);
      const moved = table.map((m) => m.slot).sort((a, b) => a - b);
      const gone = new Set(moved);
      src.slots = src.slots.filter((s) => !gone.has(s));
      moves.push({ from: src.id, to: dst.id, slots: moved });
    }
    balance.set(dst.id, db + numSlots);
    balance.set(src.id, sb - numSlots);
    if (db + numSlots === 0) dstIdx++;
    if (sb - numSlots === 0) srcIdx--;
  }
  return { moves };
}

interface LoadState {
  id: string;
  order: number;
  expected: number;
  load: number;
  /** Its own slots with a load, by load then slot, ascending (slots it received never move again). */
  candidates: number[];
}

/** The first index whose load is >= value (candidates ascend by load). */
function lowerBound(candidates: readonly number[], loadOf: (slot: number) => number, value: number): number {
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (loadOf(candidates[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The candidate of `from` that most shrinks |excess - w| + |deficit - w| (the pair's distance to their expected
 * loads): any w from min(excess, deficit) to max(excess, deficit) shrinks it by 2 * min, so the lightest of those;
 * else the heavier of "largest below" (shrinks by 2w) and "lightest above" (by 2 (excess + deficit - w)), the one
 * below on a tie. Undefined when no slot brings the pair closer.
 */
function bestSlot(from: LoadState, to: LoadState, loadOf: (slot: number) => number): number | undefined {
  const excess = from.load - from.expected;
  const deficit = to.expected - to.load;
  if (excess <= 0 || deficit <= 0 || from.candidates.length === 0) return undefined;
  const low = Math.min(excess, deficit);
  const high = Math.max(excess, deficit);
  const i = lowerBound(from.candidates, loadOf, low);
  const atOrAbove = from.candidates[i];
  if (atOrAbove !== undefined && loadOf(atOrAbove) <= high) return i;
  const belowLoad = i > 0 ? loadOf(from.candidates[i - 1] as number) : 0;
  const gainBelow = 2 * belowLoad;
  const gainAbove = atOrAbove === undefined ? 0 : 2 * (excess + deficit - loadOf(atOrAbove));
  if (gainBelow <= 0 && gainAbove <= 0) return undefined;
  // Among slots of one load, the lowest-numbered.
  return gainBelow >= gainAbove ? lowerBound(from.candidates, loadOf, belowLoad) : i;
}

/**
 * Our extension: balance keys or bytes, not slots. The load of a master is the sum over its slots; it should carry
 * total * weight / total_weight, within threshold % of that. While some master is outside, the master furthest above
 * its share gives the master furthest below it the slot that brings the two closest to their shares (see bestSlot;
 * a taker may overshoot and pass other slots on); other pairs are tried when that pair has no such slot. Every move
 * shrinks the summed distance to the shares and a slot moves at most once, so it ends; ties go to the input order
 * and the lower slot, so the plan is deterministic.
 */
function planByLoad(
  involved: Involved[],
  loadBySlot: ReadonlyMap<number, number>,
  threshold: number,
  unit: string,
): { moves: RebalanceMove[]; reason?: string } {
  const totalWeight = involved.reduce((sum, n) => sum + n.weight, 0);
  if (involved.length > 0 && totalWeight === 0) throw new PlanError('every master weighs 0: nowhere to put the load');
  const loadOf = (slot: number) => loadBySlot.get(slot) ?? 0;
  const total = involved.reduce((sum, n) => sum + sumOver(n.slots, loadBySlot), 0);
  const state: LoadState[] = involved.map((n, order) => ({
    id: n.id,
    order,
    expected: (total * n.weight) / totalWeight,
    load: sumOver(n.slots, loadBySlot),
    candidates: n.slots.filter((s) => loadOf(s) > 0).sort((a, b) => loadOf(a) - loadOf(b) || a - b),
  }));
  const outside = () => state.filter((s) => Math.abs(s.load - s.expected) > (s.expected * threshold) / 100);
  if (outside().length === 0)
    return { moves: [], reason: `every master is within ${threshold}% of its expected ${unit}` };

  const pairs = new Map<string, RebalanceMove>();
  const excess = (s: LoadState) => s.load - s.expected;
  while (outside().length > 0) {
    const givers = [...state].sort((a, b) => excess(b) - excess(a) || a.order - b.order);
    const takers = [...state].sort((a, b) => excess(a) - excess(b) || a.order - b.order);
    let moved = false;
    for (const from of givers) {
      for (const to of takers) {
        if (from === to) continue;
        const index = bestSlot(from, to, loadOf);
        if (index === undefined) continue;
        const [slot] = from.candidates.splice(index, 1);
        if (slot === undefined) continue;
        from.load -= loadOf(slot);
        to.load += loadOf(slot);
        const key = `${from.id} ${to.id}`;
        const move = pairs.get(key) ?? { from: from.id, to: to.id, slots: [] };
        move.slots.push(slot);
        pairs.set(key, move);
        moved = true;
        break;
      }
      if (moved) break;
    }
    if (!moved) break;
  }
  const moves = [...pairs.values()].map((m) => ({ ...m, slots: m.slots.sort((a, b) => a - b) }));
  if (moves.length === 0) {
    const left = outside().map((s) => short(s.id));
    return { moves, reason: `no single slot move brings ${left.join(', ')} closer to the expected ${unit}` };
  }
  return { moves };
}

/**
 * The slots to move so the masters carry slots (redis-cli's plan, slot for slot), keys or bytes in proportion to
 * their weights. Throws PlanError with a sentence for the operator.
 */
export function planRebalance(input: RebalanceInput, options: RebalanceOptions = {}): RebalancePlan {
  const threshold = checkInput(input, options);
  const by = options.by ?? 'slots';
  const involved = involvedMasters(input, options);
  const before = loadsOf(involved, input);
  let result: { moves: RebalanceMove[]; reason?: string };
  if (by === 'slots') {
    result = planBySlots(
      involved.map((n) => ({ ...n })),
      threshold,
    );
  } else {
    const map = by === 'keys' ? input.keysBySlot : input.bytesBySlot;
    if (!map) throw new PlanError(`balancing by ${by} needs the ${by === 'keys' ? 'key count' : 'bytes'} of each slot`);
    result = planByLoad(involved, map, threshold, by === 'keys' ? 'keys' : 'bytes');
  }
  const after = applyMoves(involved, result.moves, input);
  return { moves: result.moves, before, after, ...(result.reason ? { reason: result.reason } : {}) };
}

/**
 * Empty `nodeId` the way redis-cli does (rebalance with --cluster-weight <id>=0): its weight is 0, the others keep
 * theirs, and the plan may also even out the other masters. Masters without slots stay out, as without
 * --cluster-use-empty-masters.
 */
export function drainPlan(input: RebalanceInput, nodeId: string, weights: Record<string, number> = {}): RebalancePlan {
  const node = input.nodes.find((n) => n.id === nodeId);
  if (!node) throw new PlanError(`${short(nodeId)} is not a node of this cluster`);
  if (node.role !== 'master') throw new PlanError(`${short(nodeId)} is not a master: only a master has slots to drain`);
  if (slotsInRanges(node.slots).length === 0) throw new PlanError(`${short(nodeId)} has no slots to drain`);
  const plan = planRebalance(input, { weights: { ...weights, [nodeId]: 0 } });
  if (plan.after[nodeId]?.slots !== 0)
    throw new PlanError(
      `${short(nodeId)} would keep ${plan.after[nodeId]?.slots} slots: no other master can take them`,
    );
  return plan;
}
