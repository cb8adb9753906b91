import { mkdir, mkdtemp, open, rm, truncate, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLogUnreadable } from './files';
import { linesBackward, MAX_READ_LINE, openAuditExport, readAuditFiles } from './read';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'audit-read-'));
  file = path.join(dir, 'audit.jsonl');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const entry = (n: number, extra = '') =>
  JSON.stringify({ at: `2026-01-01T00:00:${String(n % 60).padStart(2, '0')}Z`, n, user: `ü-${extra}`, action: 'x' });

async function collect(source: AsyncIterable<string | null>): Promise<Array<string | null>> {
  const out: Array<string | null> = [];
  for await (const line of source) out.push(line);
  return out;
}

describe('linesBackward', () => {
  it('gives the lines last first across chunk boundaries; over-long lines come out as null', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => entry(i, 'é'.repeat((i * 7919) % 300)));
    lines.splice(1000, 0, 'y'.repeat(MAX_READ_LINE + 5));
    lines.splice(2000, 0, 'z'.repeat(3 * 64 * 1024));
    await writeFile(file, `${lines.join('\n')}\n`);
    const expected = lines.map((l) => (l.length > MAX_READ_LINE ? null : l)).reverse();
    expect(await collect(linesBackward(file))).toEqual(expected);
  });

  it('gives a torn last line (no newline) first, and nothing for a missing file', async () => {
    await writeFile(file, `${entry(1)}\n{"at":"torn`);
    expect(await collect(linesBackward(file))).toEqual(['{"at":"torn', entry(1)]);
    expect(await collect(linesBackward(path.join(dir, 'none')))).toEqual([]);
  });
});

describe('readAuditFiles', () => {
  it('reads the newest entries from the end of a file too big to read whole (old code: "No entries yet")', async () => {
    // 1 GiB of nothing (a sparse file) and then entries: readFile(…, 'utf8') of it fails with ERR_STRING_TOO_LONG.
    await writeFile(file, '');
    await truncate(file, 1024 ** 3);
    const handle = await open(file, 'a');
    await handle.write(`\n${Array.from({ length: 300 }, (_, i) => entry(i)).join('\n')}\n`);
    await handle.close();
    const started = performance.now();
    const before = process.memoryUsage().rss;
    const read = await readAuditFiles(file, 5, 200);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
    expect(read.entries).toHaveLength(200);
    expect(read.entries[0]).toMatchObject({ n: 299 });
    expect(read).toMatchObject({ olderFiles: 0, truncated: true, skippedLines: 0 });
  });

  it('goes into rotated files only as far as needed, and says what it left out', async () => {
    await writeFile(file, `${entry(5)}\n${entry(6)}\n`);
    await writeFile(`${file}.1`, `${entry(3)}\nnot json\n${entry(4)}\n`);
    await writeFile(`${file}.2`, `${entry(1)}\n${entry(2)}\n`);
    const few = await readAuditFiles(file, 5, 3);
    expect(few.entries.map((e) => (e as unknown as { n: number }).n)).toEqual([6, 5, 4]);
    expect(few).toMatchObject({ olderFiles: 2, truncated: true, skippedLines: 0 });
    const all = await readAuditFiles(file, 5, 100);
    expect(all.entries.map((e) => (e as unknown as { n: number }).n)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(all).toMatchObject({ olderFiles: 2, truncated: false, skippedLines: 1 });
    // keep = 1: .2 is not part of the log any more.
    expect((await readAuditFiles(file, 1, 100)).entries).toHaveLength(4);
  });

  it('treats a missing log as empty and an unreadable one as an error', async () => {
    expect(await readAuditFiles(file, 5, 10)).toEqual({
      entries: [],
      olderFiles: 0,
      truncated: false,
      skippedLines: 0,
    });
    await mkdir(file);
    await expect(readAuditFiles(file, 5, 10)).rejects.toBeInstanceOf(AuditLogUnreadable);
    await expect(readAuditFiles(file, 5, 10)).rejects.toMatchObject({
      errno: 'EISDIR',
      status: 500,
      message: 'the audit log cannot be read: EISDIR (audit.jsonl)',
    });
  });
});

describe('openAuditExport', () => {
  it('streams every file oldest first, a torn last line ended before the next file begins', async () => {
    await writeFile(`${file}.2`, `${entry(1)}\n`);
    await writeFile(`${file}.1`, `${entry(2)}\n{"torn`);
    await writeFile(file, `${'x'.repeat(200_000)}\n${entry(3)}\n`);
    const { files, stream } = await openAuditExport(file, 5);
    expect(files.map((f) => path.basename(f.path))).toEqual(['audit.jsonl.2', 'audit.jsonl.1', 'audit.jsonl']);
    // Written after the export started: not part of it.
    await writeFile(file, 'later\n', { flag: 'a' });
    const text = await new Response(stream).text();
    expect(text).toBe(`${entry(1)}\n${entry(2)}\n{"torn\n${'x'.repeat(200_000)}\n${entry(3)}\n`);
  });

  it('refuses up front when a file cannot be read', async () => {
    await mkdir(file);
    await expect(openAuditExport(file, 5)).rejects.toMatchObject({ errno: 'EISDIR' });
  });
});
