import type { TimelineEvent, TimelineKind } from './diff';

/** Kinds a migration repeats poll after poll: the first to go when a list is cut to its limit. */
export const ROUTINE_KINDS: ReadonlySet<TimelineKind> = new Set<TimelineKind>(['slot_opened', 'slot_closed']);

const routine = (e: TimelineEvent) => ROUTINE_KINDS.has(e.kind);

/**
 * At most `limit` events of a newest-first list, in its order: routine events (slot opened/closed) are dropped,
 * oldest first, before any other, so a long migration never pushes out a role change, a failover, a join or a forget.
 */
export function keepImportant(newestFirst: readonly TimelineEvent[], limit: number): TimelineEvent[] {
  if (newestFirst.length <= limit) return [...newestFirst];
  const important = newestFirst.filter((e) => !routine(e)).length;
  let routineRoom = Math.max(0, limit - important);
  let importantRoom = limit;
  return newestFirst.filter((e) => {
    if (routine(e)) return routineRoom-- > 0;
    return importantRoom-- > 0;
  });
}
