// Test helpers for the store: a fresh in-memory database per test, and an owner id of a process that has ended.
import { spawnSync } from 'node:child_process';
import { openDatabase, setDatabase } from '../../server/store/database';

export function freshStore(): void {
  setDatabase(openDatabase(':memory:'));
}

let dead: string | undefined;

/** "pid:start-time" of a process that ran and ended. */
export function deadOwner(): string {
  dead ??= `${spawnSync(process.execPath, ['-e', '']).pid}:1`;
  return dead;
}
