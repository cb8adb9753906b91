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
    const claims = new Uint8Array(SLOT_COUNT);
    for (const node of snapshot.nodes) {
      if (node.role !== 'master') continue;
      // Plain loops over the ranges (this runs every poll): no array of every slot.
      for (const [start, end] of node.slots) {
        for (let slot = Math.max(0, start); slot <= end && slot < SLOT_COUNT; slot++)
          claims[slot] = Math.min(2, (claims[slot] ?? 0) + 1);
      }
    }
    for (let slot = 0; slot < SLOT_COUNT; slot++) if (claims[slot] !== 1) slots.add(slot);
  }
  return [...slots].sort((a, b) => a - b);
}
