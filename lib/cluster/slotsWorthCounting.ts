import { SLOT_COUNT, slotsInRanges } from '../redis/slots';
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
      for (const slot of slotsInRanges(node.slots)) claims[slot] = Math.min(2, (claims[slot] ?? 0) + 1);
    }
    claims.forEach((count, slot) => {
      if (count !== 1) slots.add(slot);
    });
  }
  return [...slots].sort((a, b) => a - b);
}
