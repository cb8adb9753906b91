import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDatabase, database } from './database';
import { DataDirError, prepareDataDir } from './dataDir';
import { openStore } from './open';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'store-datadir-'));
});
afterEach(() => {
  closeDatabase();
  rmSync(dir, { recursive: true, force: true });
});

const mode = (p: string) => statSync(p).mode & 0o777;

describe('the data folder', () => {
  it('is created with mode 0700, parents included', () => {
    const target = path.join(dir, 'a', 'data');
    expect(prepareDataDir(target)).toEqual({ created: true });
    expect(mode(target)).toBe(0o700);
  });

  it('is narrowed to 0700 when it lets other users in, and says from what', () => {
    const target = path.join(dir, 'wide');
    mkdirSync(target);
    chmodSync(target, 0o755);
    expect(prepareDataDir(target)).toEqual({ created: false, narrowedFrom: '0755' });
    expect(mode(target)).toBe(0o700);
    expect(prepareDataDir(target)).toEqual({ created: false });
  });

  it('is refused when it is a file or cannot be created', () => {
    const file = path.join(dir, 'file');
    writeFileSync(file, 'x');
    expect(() => prepareDataDir(file)).toThrow(new DataDirError(`${file} is not a folder`));
    expect(() => prepareDataDir(path.join(file, 'data'))).toThrow(`${file}/data: cannot be used (ENOTDIR)`);
  });

  it('holds the database, readable by the dashboard’s user only; a bad one stops start-up naming dataDir', () => {
    const config = { path: path.join(dir, 'dashboard.config.json'), dataDir: path.join(dir, 'data') };
    openStore(config);
    expect(database().name).toBe(path.join(dir, 'data', 'dashboard.sqlite3'));
    expect(mode(path.join(dir, 'data', 'dashboard.sqlite3'))).toBe(0o600);
    expect(mode(path.join(dir, 'data', 'dashboard.sqlite3-wal'))).toBe(0o600);

    writeFileSync(path.join(dir, 'taken'), 'x');
    expect(() => openStore({ ...config, dataDir: path.join(dir, 'taken') })).toThrow(
      expect.objectContaining({ problems: [`dataDir: ${path.join(dir, 'taken')} is not a folder`] }),
    );
  });
});
