import 'server-only';
import { type JournalEntry, latestBySlot } from '@/lib/jobs/journal';
import type { OpenSlot } from '@/lib/jobs/types';
import type { MigrationConnections } from './connections';
import type { PlannedMove } from './engine';
import { isOpen, readOwnLines, situationOf } from './slotState';

/** The slots a job has not finished (neither done nor rolled back), by its journal, with the plan's direction. */
export function unfinishedMoves(entries: readonly JournalEntry[]): PlannedMove[] {
  return [...latestBySlot(entries).values()]
    .filter((e) => e.phase !== 'done' && e.phase !== 'rolled_back')
    .map((e) => ({ slot: e.slot, sourceId: e.sourceId, targetId: e.targetId }))
    .sort((a, b) => a.slot - b.slot);
}

/**
 * The job's slots left open, from its journal (which slots, between which nodes, the last phase recorded) and the
 * nodes' own views (whether a migrating/importing marker is still there, on a master or, on Valkey, a replica), with
 * the keys still on the source.
 */
export async function openSlotsOf(conns: MigrationConnections, entries: readonly JournalEntry[]): Promise<OpenSlot[]> {
  const latest = latestBySlot(entries);
  const moves = unfinishedMoves(entries);
  if (moves.length === 0) return [];
  const views = await readOwnLines(
    conns,
    moves.flatMap((m) => [m.sourceId, m.targetId]),
  );
  const open: Array<OpenSlot & { sourceOwns: boolean }> = [];
  for (const move of moves) {
    const phase = latest.get(move.slot)?.phase ?? 'planned';
    const source = views.lines.get(move.sourceId);
    const target = views.lines.get(move.targetId);
    if (!source || !target) continue;
    let sourceOwns = true;
    try {
      const s = situationOf(move.slot, move.sourceId, move.targetId, source, target);
      if (!isOpen(s) && !views.replicaOnly.has(move.slot)) continue;
      sourceOwns = s.owner === 'source';
    } catch {
      // Open towards another node, or owned by neither: open all the same, and shown as such.
    }
    open.push({ slot: move.slot, sourceId: move.sourceId, targetId: move.targetId, phase, sourceOwns });
  }
  const bySource = new Map<string, typeof open>();
  for (const slot of open.filter((s) => s.sourceOwns)) {
    const list = bySource.get(slot.sourceId) ?? [];
    list.push(slot);
    bySource.set(slot.sourceId, list);
  }
  await Promise.all(
    [...bySource].map(async ([sourceId, slots]) => {
      const replies = await conns
        .pipeline(
          sourceId,
          'control',
          slots.map((s) => ['CLUSTER', 'COUNTKEYSINSLOT', s.slot]),
        )
        .catch(() => []);
      slots.forEach((s, i) => {
        const n = replies[i]?.value;
        if (typeof n === 'number') s.keysLeft = n;
      });
    }),
  );
  return open.map(({ sourceOwns: _, ...slot }) => slot);
}
