import { SLOT_COUNT } from '../redis/slots';
import type { ClusterSnapshot } from './types';

/**
 * Slots whose keys are worth counting on every master (CLUSTER COUNTKEYSINSLOT), as redis-cli --cluster check does:
 * open slots (migrating or importing somewhere), uncovered slots, and slots claimed by more than one master. Lowest
 * first, so a capped list is stable from poll to poll.
 */
export function slotsWorthCounting(snapshot: ClusterSnapshot): number[] {
  const slots = new Set<number>();
  for (const node of snapshot.nodes) {
    for (const m of node.migrating) slots.add(m.slot);
    for (const i of node.importing) slots.add(i.slot);
  }
  if (snapshot.nodes.length > 0) {
    // One sweep over the masters' ranges sorted by start (this runs every poll): a gap is uncovered, a range starting
    // at or before the furthest end so far overlaps the range that reached it.
    const ranges: Array<[number, number]> = [];
    for (const node of snapshot.nodes) {
      if (node.role !== 'master') continue;
      for (const [start, end] of node.slots) {
        const from = Math.max(0, start);
        const to = Math.min(SLOT_COUNT - 1, end);
        if (from <= to) ranges.push([from, to]);
      }
    }
    ranges.sort((a, b) => a[0] - b[0]);
    let furthest = -1;
    for (const [start, end] of ranges) {
      for (let slot = furthest + 1; slot < start; slot++) slots.add(slot);
      for (let slot = start; slot <= Math.min(end, furthest); slot++) slots.add(slot);
      furthest = Math.max(furthest, end);
    }
    for (let slot = furthest + 1; slot < SLOT_COUNT; slot++) slots.add(slot);
  }
  return [...slots].sort((a, b) => a - b);
}
