import 'server-only';
import type { TimelineEvent } from '@/lib/timeline/diff';
import { keepImportant } from '@/lib/timeline/trim';

/** Where a poller keeps its cluster's timeline: in memory (tests), or in the store (the server; survives restarts). */
export interface TimelineLog {
  append(events: readonly TimelineEvent[]): void;
  /** Newest first; slot opened/closed events give way to any other kind (keepImportant). */
  recent(limit: number): TimelineEvent[];
}

/** Events kept in memory per cluster, newest last; older ones drop off. */
export const MEMORY_TIMELINE_LIMIT = 1000;

export class MemoryTimeline implements TimelineLog {
  private readonly events: TimelineEvent[] = [];
  append(events: readonly TimelineEvent[]): void {
    this.events.push(...events);
    if (this.events.length > MEMORY_TIMELINE_LIMIT) this.events.splice(0, this.events.length - MEMORY_TIMELINE_LIMIT);
  }
  recent(limit: number): TimelineEvent[] {
    return keepImportant([...this.events].reverse(), limit);
  }
}
