import type { SlotRangeInput } from '../jobs/types';
import { isSlot, normalizeRanges, SLOT_COUNT, type SlotRange, slotsInRanges } from '../redis/slots';

/** What the planner needs of a node (a SnapshotNode fits). */
export interface PlanNode {
  id: string;
  role: 'master' | 'replica' | 'unknown';
  slots: readonly SlotRange[];
}

/** Which slots move, either named or "N slots from these sources" (redis-cli's --cluster-slots/--cluster-from). */
export type ReshardSelection = { slots: SlotRangeInput[] } | { count: number; sources: string[] | 'all' };

export interface SlotMove {
  slot: number;
  sourceId: string;
}

export interface SourceSlots {
  nodeId: string;
  /** Ascending. */
  slots: number[];
}

export interface ReshardSlotPlan {
  targetId: string;
  /** In the order they move: by source as redis-cli orders them (or by slot for named ranges), lowest slots first. */
  moves: SlotMove[];
  /** The same moves grouped per source, in plan order. */
  sources: SourceSlots[];
  /** Named slots the target already owns: nothing to move. */
  skipped: number[];
}

export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/**
 * redis-cli's clusterManagerComputeReshardTable: sources sorted by slot count, largest first (ties keep the given
 * order: glibc's qsort is a merge sort); each gives numSlots / total * its slots, the first rounded up, the others
 * down, computed in single precision as redis-cli's `float` does; lowest-numbered slots first; never more than
 * numSlots in all.
 */
export function redisCliReshardTable(sources: readonly SourceSlots[], numSlots: number): SlotMove[] {
  const total = sources.reduce((sum, s) => sum + s.slots.length, 0);
  const sorted = sources
    .map((source, index) => ({ source, index }))
    .sort((a, b) => b.source.slots.length - a.source.slots.length || a.index - b.index)
    .map((e) => e.source);
  const moves: SlotMove[] = [];
  sorted.forEach((source, i) => {
    const share = Math.fround(Math.fround(numSlots / total) * source.slots.length);
    const max = i === 0 ? Math.ceil(share) : Math.floor(share);
    const ascending = [...source.slots].sort((a, b) => a - b);
    for (let count = 0; count < ascending.length; count++) {
      if (count >= max || moves.length >= numSlots) break;
      moves.push({ slot: ascending[count] as number, sourceId: source.nodeId });
    }
  });
  return moves;
}

function ownerOfEachSlot(nodes: readonly PlanNode[]): Array<string | undefined> {
  const owners: Array<string | undefined> = new Array(SLOT_COUNT);
  for (const node of nodes) {
    if (node.role !== 'master') continue;
    for (const slot of slotsInRanges(node.slots)) owners[slot] = node.id;
  }
  return owners;
}

function groupBySource(moves: readonly SlotMove[]): SourceSlots[] {
  const bySource = new Map<string, number[]>();
  for (const move of moves) {
    const list = bySource.get(move.sourceId) ?? [];
    list.push(move.slot);
    bySource.set(move.sourceId, list);
  }
  return [...bySource].map(([nodeId, slots]) => ({ nodeId, slots }));
}

const short = (id: string) => id.slice(0, 8);

/**
 * The slots a reshard moves to `targetId`, per source. Named ranges: every slot the target does not own yet, from its
 * owner (a slot nobody owns is refused: that is a fix, not a reshard). A count: redis-cli's plan over the sources
 * ("all" = every other master, in the order given). Throws PlanError with a sentence for the operator.
 */
export function planReshard(
  nodes: readonly PlanNode[],
  targetId: string,
  selection: ReshardSelection,
): ReshardSlotPlan {
  const target = nodes.find((n) => n.id === targetId);
  if (!target) throw new PlanError(`the target ${short(targetId)} is not a node of this cluster`);
  if (target.role !== 'master') throw new PlanError(`the target ${short(targetId)} is not a master`);
  if ('slots' in selection) {
    if (selection.slots.length === 0) throw new PlanError('no slot ranges given');
    for (const [start, end] of selection.slots) {
      if (!isSlot(start) || !isSlot(end) || start > end)
        throw new PlanError(`${start}-${end} is not a slot range (0-16383, start ≤ end)`);
    }
    const owners = ownerOfEachSlot(nodes);
    const moves: SlotMove[] = [];
    const skipped: number[] = [];
    const unowned: number[] = [];
    for (const slot of slotsInRanges(normalizeRanges(selection.slots))) {
      const owner = owners[slot];
      if (owner === undefined) unowned.push(slot);
      else if (owner === targetId) skipped.push(slot);
      else moves.push({ slot, sourceId: owner });
    }
    if (unowned.length) {
      throw new PlanError(
        `${unowned.length} of the named slots have no owner (first: ${unowned.slice(0, 5).join(', ')}): assign them with a fix first`,
      );
    }
    return { targetId, moves, sources: groupBySource(moves), skipped };
  }
  const { count } = selection;
  if (!Number.isInteger(count) || count < 1 || count > SLOT_COUNT)
    throw new PlanError(`the number of slots must be from 1 to ${SLOT_COUNT}`);
  let sources: PlanNode[];
  if (selection.sources === 'all') {
    sources = nodes.filter((n) => n.role === 'master' && n.id !== targetId);
  } else {
    if (selection.sources.length === 0) throw new PlanError('no source nodes given');
    sources = [];
    for (const id of selection.sources) {
      if (id === targetId) throw new PlanError('the target is also listed among the sources');
      const node = nodes.find((n) => n.id === id);
      if (node?.role !== 'master') throw new PlanError(`the source ${short(id)} is not a known master`);
      if (!sources.includes(node)) sources.push(node);
    }
  }
  if (sources.length === 0) throw new PlanError('no master besides the target to take slots from');
  const table = redisCliReshardTable(
    sources.map((n) => ({ nodeId: n.id, slots: slotsInRanges(n.slots) })),
    count,
  );
  if (table.length === 0) throw new PlanError('the sources own no slots');
  return { targetId, moves: table, sources: groupBySource(table), skipped: [] };
}
