import 'server-only';
import { MemoryJournal, type MigrationJournal } from '@/lib/jobs/journal';

const KEY = Symbol.for('redis-cluster-dashboard.migration-journal');
type Holder = { [KEY]?: MigrationJournal };

/**
 * The journal every slot-moving job writes to. In memory until the SQLite store provides a durable one
 * (setMigrationJournal at start-up); the engine only knows the MigrationJournal interface.
 */
export function migrationJournal(): MigrationJournal {
  const holder = globalThis as Holder;
  holder[KEY] ??= new MemoryJournal();
  return holder[KEY];
}

export function setMigrationJournal(journal: MigrationJournal): void {
  (globalThis as Holder)[KEY] = journal;
}
