import 'server-only';
import { type FileHandle, open } from 'node:fs/promises';
import type { AuditEntry, AuditRead } from '@/lib/api/types';
import { type AuditFile, AuditLogUnreadable, errorCode, rotatedFiles } from './files';

const CHUNK = 64 * 1024;
/** Lines longer than this (only logs written before lines were bounded have them) are skipped, never buffered. */
export const MAX_READ_LINE = 64 * 1024;
const NEWLINE = 0x0a;

async function openLog(file: string): Promise<{ handle: FileHandle; bytes: number } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return undefined;
    throw new AuditLogUnreadable(errorCode(err), file);
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new AuditLogUnreadable(info.isDirectory() ? 'EISDIR' : 'EINVAL', file);
    return { handle, bytes: info.size };
  } catch (err) {
    await handle.close();
    throw err instanceof AuditLogUnreadable ? err : new AuditLogUnreadable(errorCode(err), file);
  }
}

async function readAt(handle: FileHandle, file: string, position: number, length: number): Promise<Buffer> {
  const chunk = Buffer.alloc(length);
  try {
    const { bytesRead } = await handle.read(chunk, 0, length, position);
    return chunk.subarray(0, bytesRead);
  } catch (err) {
    throw new AuditLogUnreadable(errorCode(err), file);
  }
}

/**
 * The lines of a file, last first, read backwards in 64 KiB chunks: memory stays bounded whatever the file's size.
 * A line over MAX_READ_LINE comes out as null (skipped). A missing file has no lines.
 */
export async function* linesBackward(file: string): AsyncGenerator<string | null> {
  const opened = await openLog(file);
  if (!opened) return;
  const { handle } = opened;
  try {
    let position = opened.bytes;
    // The start of the line being assembled (its end was read first), or nothing once it grew too long.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let overlong = false;
    const finish = (head: Buffer): string | null => {
      const line = overlong || head.length + pendingBytes > MAX_READ_LINE ? null : Buffer.concat([head, ...pending]);
      pending = [];
      pendingBytes = 0;
      overlong = false;
      return line === null ? null : line.toString('utf8');
    };
    while (position > 0) {
      const length = Math.min(CHUNK, position);
      position -= length;
      const chunk = await readAt(handle, file, position, length);
      let end = chunk.length;
      for (let i = end - 1; i >= 0; i--) {
        if (chunk[i] !== NEWLINE) continue;
        // A newline at the very end of the file closes no line.
        if (!(position + i === opened.bytes - 1)) yield finish(chunk.subarray(i + 1, end));
        end = i;
      }
      if (overlong) continue;
      if (pendingBytes + end > MAX_READ_LINE) {
        overlong = true;
        pending = [];
        pendingBytes = 0;
      } else if (end > 0) {
        pending.unshift(chunk.subarray(0, end));
        pendingBytes += end;
      }
    }
    if (overlong || pendingBytes > 0) yield finish(Buffer.alloc(0));
  } finally {
    await handle.close();
  }
}

function isEntry(value: unknown): value is AuditEntry {
  return value !== null && typeof value === 'object' && typeof (value as { at?: unknown }).at === 'string';
}

/**
 * The newest `limit` entries, newest first: the current file from its end, then the rotated files (.1, .2, …) only
 * as far as needed. Lines that do not parse (a torn last line after a crash, an over-long old line) are counted.
 */
export async function readAuditFiles(file: string, keep: number, limit: number): Promise<AuditRead> {
  const older = await rotatedFiles(file, keep);
  const entries: AuditEntry[] = [];
  let skippedLines = 0;
  let truncated = false;
  scan: for (const path of [file, ...older.map((f) => f.path)]) {
    for await (const line of linesBackward(path)) {
      if (line === '') continue;
      if (entries.length >= limit) {
        truncated = true;
        break scan;
      }
      try {
        const parsed: unknown = line === null ? undefined : JSON.parse(line);
        if (isEntry(parsed)) entries.push(parsed);
        else skippedLines++;
      } catch {
        skippedLines++;
      }
    }
  }
  return { entries, olderFiles: older.length, truncated, skippedLines };
}

export interface AuditExport {
  /** Oldest first, as streamed; sizes as they were when the export started. */
  files: AuditFile[];
  stream: ReadableStream<Uint8Array>;
}

/**
 * Every audit file, oldest first (<path>.<keep> … <path>.1, <path>), streamed in 64 KiB chunks. The files are opened
 * up front, so a rotation during the download changes nothing, and each is read only up to its size at that moment.
 */
export async function openAuditExport(file: string, keep: number): Promise<AuditExport> {
  const paths = [...(await rotatedFiles(file, keep)).map((f) => f.path).reverse(), file];
  const opened: Array<{ path: string; handle: FileHandle; bytes: number }> = [];
  try {
    for (const path of paths) {
      const log = await openLog(path);
      if (log) opened.push({ path, ...log });
    }
  } catch (err) {
    await Promise.all(opened.map((f) => f.handle.close()));
    throw err;
  }
  let index = 0;
  let position = 0;
  let lastByte = NEWLINE;
  const closeRest = () => Promise.all(opened.slice(index).map((f) => f.handle.close().catch(() => undefined)));
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (let current = opened[index]; current; current = opened[index]) {
          if (position < current.bytes) {
            const chunk = await readAt(
              current.handle,
              current.path,
              position,
              Math.min(CHUNK, current.bytes - position),
            );
            position = chunk.length === 0 ? current.bytes : position + chunk.length;
            if (chunk.length > 0) {
              lastByte = chunk[chunk.length - 1] ?? NEWLINE;
              controller.enqueue(new Uint8Array(chunk));
              return;
            }
            continue;
          }
          await current.handle.close();
          index++;
          position = 0;
          // A torn last line must not run into the first line of the next file.
          if (lastByte !== NEWLINE) {
            lastByte = NEWLINE;
            controller.enqueue(new Uint8Array([NEWLINE]));
            return;
          }
        }
        controller.close();
      } catch (err) {
        await closeRest();
        controller.error(err);
      }
    },
    async cancel() {
      await closeRest();
    },
  });
  return { files: opened.map((f) => ({ path: f.path, bytes: f.bytes })), stream };
}
