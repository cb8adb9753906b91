import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from './database';
import { MIGRATIONS, type Migration, migrate, SCHEMA_VERSION, SchemaTooNewError, schemaVersion } from './migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'store-migrations-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tables = (db: Database.Database) =>
  (
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
  ).map((t) => t.name);

describe('store migrations', () => {
  it('are numbered 1, 2, 3, … in order', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('bring a database written by an older dashboard forward, keeping its rows', () => {
    const file = path.join(dir, 'old.sqlite3');
    const old = new Database(file);
    expect(migrate(old, MIGRATIONS, 1).map((m) => m.version)).toEqual([1]);
    old
      .prepare(
        "INSERT INTO jobs (id, cluster_id, kind, state, started_at, updated_at, owner, body) VALUES ('j1', 'c', 'failover', 'succeeded', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.000Z', '1:1', '{}')",
      )
      .run();
    expect(tables(old)).not.toContain('operation_locks');
    old.close();

    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'jobs',
        'journal',
        'operation_locks',
        'timeline',
        'timeline_writers',
        'revoked_sessions',
        'history_minutes',
      ]),
    );
    expect(db.prepare('SELECT id, state FROM jobs').all()).toEqual([{ id: 'j1', state: 'succeeded' }]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    db.close();

    // Opening it again applies nothing.
    const again = new Database(file);
    expect(migrate(again)).toEqual([]);
    again.close();
  });

  it('leave the database at the previous version when a migration fails', () => {
    const db = new Database(':memory:');
    const broken: Migration[] = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'two', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO no_such_table VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow(/no_such_table/);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).toEqual(['a', 'schema_version']);
  });

  it('refuse a database written by a newer dashboard', () => {
    const file = path.join(dir, 'new.sqlite3');
    const db = new Database(file);
    migrate(db);
    db.prepare('UPDATE schema_version SET version = ?').run(SCHEMA_VERSION + 3);
    db.close();
    expect(() => openDatabase(file)).toThrow(SchemaTooNewError);
    expect(() => openDatabase(file)).toThrow(`schema version ${SCHEMA_VERSION + 3}, newer than this dashboard's`);
  });
});
