import 'server-only';
import { closeSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { migrate } from './migrations';

/** The database file inside the data folder. */
export const DATABASE_FILE = 'dashboard.sqlite3';

// One connection per process, on globalThis: Next may load this module once per route bundle, and better-sqlite3
// serialises every statement on the connection anyway.
const KEY = Symbol.for('redis-cluster-dashboard.store');
type Holder = { [KEY]?: Database.Database };

/**
 * Opens the database, sets it up and brings its schema forward.
 *
 * WAL: readers (API requests) never wait for the writer (a job's journal). synchronous=NORMAL: in WAL mode a commit
 * is in the log file before the call returns, so it survives the dashboard process being killed, which is the crash
 * the journal is for; only an OS crash or power loss can lose the last commits, and resume/roll back read the nodes'
 * own slot states besides the journal. FULL would fsync every commit: 476 µs against 49 µs per journal line measured
 * here, about 6 s added to a 1,820-slot reshard (7 lines per slot).
 */
export function openDatabase(file: string): Database.Database {
  // Created 0600 before SQLite opens it: its -wal and -shm files take the database file's mode.
  if (file !== ':memory:') closeSync(openSync(/*turbopackIgnore: true*/ file, 'a', 0o600));
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Another dashboard process on the same data folder holds the write lock for microseconds at a time.
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/** Makes `db` the process's store (closing any previous one). */
export function setDatabase(db: Database.Database): void {
  const holder = globalThis as Holder;
  if (holder[KEY] && holder[KEY] !== db) holder[KEY].close();
  holder[KEY] = db;
}

/**
 * The process's store. The server opens the one in the data folder at start-up, before anything reads it; code run
 * outside the server (unit and integration tests, benches) gets a private in-memory database instead.
 */
export function database(): Database.Database {
  const holder = globalThis as Holder;
  holder[KEY] ??= openDatabase(':memory:');
  return holder[KEY];
}

export function closeDatabase(): void {
  const holder = globalThis as Holder;
  holder[KEY]?.close();
  delete holder[KEY];
}

const STATEMENTS = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement on the process's store, prepared once per SQL text. */
export function statement(sql: string): Database.Statement {
  const db = database();
  let cache = STATEMENTS.get(db);
  if (!cache) {
    cache = new Map();
    STATEMENTS.set(db, cache);
  }
  let prepared = cache.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    cache.set(sql, prepared);
  }
  return prepared;
}
