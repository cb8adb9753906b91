import 'server-only';
import type { MigrationJournal } from '@/lib/jobs/journal';
import { SqliteJournal } from '../store/journal';

const KEY = Symbol.for('redis-cluster-dashboard.migration-journal');
type Holder = { [KEY]?: MigrationJournal };

/**
 * The journal every slot-moving job writes to: the store's `journal` table (durable in the server; a private in-memory
 * database in tests and benches). The engine only knows the MigrationJournal interface.
 */
export function migrationJournal(): MigrationJournal {
  const holder = globalThis as Holder;
  holder[KEY] ??= new SqliteJournal();
  return holder[KEY];
}

export function setMigrationJournal(journal: MigrationJournal): void {
  (globalThis as Holder)[KEY] = journal;
}
