import type { SlotPhase } from './types';

/** One line of a slot-moving job's journal: a slot reached a phase. */
export interface JournalEntry {
  jobId: string;
  slot: number;
  phase: SlotPhase;
  sourceId: string;
  targetId: string;
  /** Keys moved in this slot so far (on keys_moved: all of them). */
  keys?: number;
  detail?: string;
  /** ISO 8601. */
  at: string;
}

/**
 * Where the engine writes every slot's phase before and after each step. The SQLite store implements it (committed
 * to the WAL file before the next Redis command is sent: it survives the dashboard being killed; with
 * synchronous=NORMAL an OS crash or power loss may lose the last commits); tests may use `MemoryJournal`.
 */
export interface MigrationJournal {
  append(entry: Omit<JournalEntry, 'at'>): void;
  entries(jobId: string): JournalEntry[];
  /**
   * Group commit: `appendLater` holds the entry until `flush`, which makes everything held durable in one write. The
   * engine flushes before it sends any command, so an entry written before a step is on disk before the step runs,
   * at a fraction of a commit per entry. A lazy entry (one whose loss the nodes' own state makes good, e.g. "keys
   * moved") does not make the next send wait for a commit. A journal without these writes each entry at once.
   */
  appendLater?(entry: Omit<JournalEntry, 'at'>, lazy?: boolean): void;
  /** `urgentOnly`: commit only if a held entry is not lazy (lazy ones ride along with the next commit). */
  flush?(urgentOnly?: boolean): void;
}

/** Each slot's latest entry. */
export function latestBySlot(entries: readonly JournalEntry[]): Map<number, JournalEntry> {
  const latest = new Map<number, JournalEntry>();
  for (const entry of entries) latest.set(entry.slot, entry);
  return latest;
}

/** Slots whose latest phase leaves them open on some node (neither planned-only, done nor rolled back). */
export function openFromJournal(entries: readonly JournalEntry[]): JournalEntry[] {
  return [...latestBySlot(entries).values()].filter(
    (e) => e.phase !== 'planned' && e.phase !== 'done' && e.phase !== 'rolled_back',
  );
}

export class MemoryJournal implements MigrationJournal {
  private readonly all: JournalEntry[] = [];
  append(entry: Omit<JournalEntry, 'at'>): void {
    this.all.push({ ...entry, at: new Date().toISOString() });
  }
  entries(jobId: string): JournalEntry[] {
    return this.all.filter((e) => e.jobId === jobId);
  }
}
