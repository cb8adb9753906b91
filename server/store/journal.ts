import 'server-only';
import type { JournalEntry, MigrationJournal } from '@/lib/jobs/journal';
import type { SlotPhase } from '@/lib/jobs/types';
import { database, statement } from './database';

interface JournalRow {
  job_id: string;
  slot: number;
  phase: string;
  source_id: string;
  target_id: string;
  keys: number | null;
  detail: string | null;
  at: string;
}

/**
 * A slot-moving job's journal in the `journal` table. `append` returns once the row is committed (in the WAL file,
 * so it survives the dashboard being killed); `appendLater` rows are committed together by `flush`, which the engine
 * calls before it sends a command to a node.
 */
/** Entries held for the next group commit, shared by every SqliteJournal of the process (reads flush them first). */
let held: JournalEntry[] = [];
/** The longest an entry stays held when nothing is sent meanwhile. */
const HELD_MAX_MS = 200;
let urgentHeld = false;
let flushScheduled = false;

export class SqliteJournal implements MigrationJournal {
  append(entry: Omit<JournalEntry, 'at'>): void {
    this.flush();
    insert({ ...entry, at: new Date().toISOString() });
  }

  /** Held until the next flush: the engine's, before it sends a command, or at the latest HELD_MAX_MS later. */
  appendLater(entry: Omit<JournalEntry, 'at'>, lazy = false): void {
    held.push({ ...entry, at: new Date().toISOString() });
    if (!lazy) urgentHeld = true;
    if (flushScheduled) return;
    flushScheduled = true;
    // A safety net: the engine flushes before each send and when it stops; nothing waits on this timer.
    setTimeout(() => {
      flushScheduled = false;
      try {
        this.flush();
      } catch (err) {
        console.error('[journal] could not write held entries:', err);
      }
    }, HELD_MAX_MS).unref();
  }

  /** Everything held, in one commit (kept held if the commit fails, for the next flush to try again). */
  flush(urgentOnly = false): void {
    if (held.length === 0 || (urgentOnly && !urgentHeld)) return;
    inOneCommit(() => {
      for (const row of held) insert(row);
    });
    held = [];
    urgentHeld = false;
  }

  /** Every entry of the job, in the order written. */
  entries(jobId: string): JournalEntry[] {
    this.flush();
    const rows = statement('SELECT * FROM journal WHERE job_id = ? ORDER BY id').all(jobId) as JournalRow[];
    return rows.map((r) => ({
      jobId: r.job_id,
      slot: r.slot,
      phase: r.phase as SlotPhase,
      sourceId: r.source_id,
      targetId: r.target_id,
      ...(r.keys !== null ? { keys: r.keys } : {}),
      ...(r.detail !== null ? { detail: r.detail } : {}),
      at: r.at,
    }));
  }
}

function insert(entry: JournalEntry): void {
  statement(
    'INSERT INTO journal (job_id, slot, phase, source_id, target_id, keys, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    entry.jobId,
    entry.slot,
    entry.phase,
    entry.sourceId,
    entry.targetId,
    entry.keys ?? null,
    entry.detail ?? null,
    entry.at,
  );
}

const JOURNAL = new SqliteJournal();

/** The journal a slot-moving job writes to (and resume / roll back read from). */
export function journalFor(jobId: string): MigrationJournal {
  return {
    append(entry) {
      if (entry.jobId !== jobId) throw new Error(`journal of job ${jobId} given an entry of job ${entry.jobId}`);
      JOURNAL.append(entry);
    },
    appendLater(entry, lazy) {
      if (entry.jobId !== jobId) throw new Error(`journal of job ${jobId} given an entry of job ${entry.jobId}`);
      JOURNAL.appendLater(entry, lazy);
    },
    flush: (urgentOnly) => JOURNAL.flush(urgentOnly),
    entries: (id = jobId) => JOURNAL.entries(id),
  };
}

/** Whether the job ever wrote to the journal (it touched slots). */
export function hasJournal(jobId: string): boolean {
  return statement('SELECT 1 FROM journal WHERE job_id = ? LIMIT 1').get(jobId) !== undefined;
}

export function deleteJournal(jobIds: readonly string[]): void {
  const remove = statement('DELETE FROM journal WHERE job_id = ?');
  for (const id of jobIds) remove.run(id);
}

/**
 * Runs `write` (several appends, e.g. the "before" lines of a window of slots) as one commit: 4-8 µs a line in batches
 * of 16-64 against 50-80 µs for a commit each (measured here). Every line is durable once this returns; none is if
 * `write` throws.
 */
export function inOneCommit<T>(write: () => T): T {
  return database().transaction(write)();
}
