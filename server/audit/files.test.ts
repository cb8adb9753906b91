import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendWithRotation, rotatedFiles } from './files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('appendWithRotation', () => {
  it('renames the log to .1, .2, … when the next line would pass maxBytes, keeping `keep` files, mode 0600', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < 100; i++) await appendWithRotation(file, line, 1000, 3);
    // 10 lines per file: the current one is full, three rotated files, the oldest six dropped.
    expect((await readFile(file, 'utf8')).length).toBe(1000);
    expect((await rotatedFiles(file, 3)).map((f) => [path.basename(f.path), f.bytes])).toEqual([
      ['audit.jsonl.1', 1000],
      ['audit.jsonl.2', 1000],
      ['audit.jsonl.3', 1000],
    ]);
    await expect(stat(`${file}.4`)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('rotates a log that is already far too big at the next line', async () => {
    const file = path.join(dir, 'audit.jsonl');
    await writeFile(file, 'x'.repeat(50_000));
    await appendWithRotation(file, 'new\n', 10_000, 5);
    expect(await readFile(file, 'utf8')).toBe('new\n');
    expect((await stat(`${file}.1`)).size).toBe(50_000);
  });
});
