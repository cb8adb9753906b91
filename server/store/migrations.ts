import 'server-only';
import type Database from 'better-sqlite3';

/**
 * The store's schema, one migration per step, applied in order and never edited once released: a database written by
 * an older dashboard is brought forward at start-up. `schema_version` holds the number of the last one applied.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'jobs and their slot journal',
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        cluster_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        -- the process that runs it ("pid:start-time"), to tell a job of a live process from an orphan
        owner TEXT NOT NULL,
        -- the whole Job as JSON
        body TEXT NOT NULL
      );
      CREATE INDEX jobs_by_cluster ON jobs (cluster_id, started_at);
      CREATE INDEX jobs_by_state ON jobs (state);
      CREATE TABLE journal (
        id INTEGER PRIMARY KEY,
        job_id TEXT NOT NULL,
        slot INTEGER NOT NULL,
        phase TEXT NOT NULL,
        source_id TEXT NOT NULL,
        target_id TEXT NOT NULL,
        keys INTEGER,
        detail TEXT,
        at TEXT NOT NULL
      );
      CREATE INDEX journal_by_job ON journal (job_id, id);
    `,
  },
  {
    version: 2,
    name: 'per-cluster operation lock',
    sql: `
      CREATE TABLE operation_locks (
        cluster_id TEXT PRIMARY KEY,
        job_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        started_by TEXT NOT NULL,
        since TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'timeline',
    sql: `
      CREATE TABLE timeline (
        id INTEGER PRIMARY KEY,
        cluster_id TEXT NOT NULL,
        at TEXT NOT NULL,
        event TEXT NOT NULL
      );
      CREATE INDEX timeline_by_cluster ON timeline (cluster_id, id);
      -- one dashboard process records each cluster's timeline, so two on one data folder do not write every event twice
      CREATE TABLE timeline_writers (
        cluster_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'session revocations',
    sql: `
      CREATE TABLE revoked_sessions (
        sid TEXT PRIMARY KEY,
        expires_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 5,
    name: 'history in 1-minute rollups',
    sql: `
      -- per node and minute: the mean and the highest of each history series over that minute's polls (NULL: none)
      CREATE TABLE history_minutes (
        cluster_id TEXT NOT NULL,
        -- epoch ms of the minute's start
        minute INTEGER NOT NULL,
        node_id TEXT NOT NULL,
        samples INTEGER NOT NULL,
        avg_used_memory REAL, max_used_memory REAL,
        avg_used_memory_rss REAL, max_used_memory_rss REAL,
        avg_maxmemory REAL, max_maxmemory REAL,
        avg_keys REAL, max_keys REAL,
        avg_ops_per_sec REAL, max_ops_per_sec REAL,
        avg_net_in_bytes_per_sec REAL, max_net_in_bytes_per_sec REAL,
        avg_net_out_bytes_per_sec REAL, max_net_out_bytes_per_sec REAL,
        avg_connected_clients REAL, max_connected_clients REAL,
        avg_blocked_clients REAL, max_blocked_clients REAL,
        avg_hit_ratio REAL, max_hit_ratio REAL,
        avg_evicted_per_sec REAL, max_evicted_per_sec REAL,
        avg_expired_per_sec REAL, max_expired_per_sec REAL,
        avg_repl_lag_bytes REAL, max_repl_lag_bytes REAL,
        avg_ping_ms REAL, max_ping_ms REAL,
        PRIMARY KEY (cluster_id, minute, node_id)
      ) WITHOUT ROWID;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `the database is at schema version ${found}, newer than this dashboard's ${known}: a newer dashboard wrote it; run that one or point dataDir elsewhere`,
    );
  }
}

export function schemaVersion(db: Database.Database): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  return row?.version ?? 0;
}

/**
 * Applies the migrations after the database's version, each in its own transaction with the version bump, so a
 * failing one leaves the database at the previous version. `upTo` stops early (tests build old schemas with it).
 * Returns the migrations applied.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
  upTo = Number.POSITIVE_INFINITY,
): Migration[] {
  const latest = migrations.at(-1)?.version ?? 0;
  const from = schemaVersion(db);
  if (from > latest) throw new SchemaTooNewError(from, latest);
  const applied: Migration[] = [];
  for (const migration of migrations) {
    if (migration.version <= from || migration.version > upTo) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare('DELETE FROM schema_version').run();
      db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(migration.version);
    })();
    applied.push(migration);
  }
  return applied;
}
