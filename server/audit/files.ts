import 'server-only';
import { appendFile, mkdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { ApiError } from '../api/errors';

/** The audit log cannot be read (EACCES, EISDIR, …): an error to show (a 500 from the API), never an empty log. */
export class AuditLogUnreadable extends ApiError {
  constructor(
    readonly errno: string,
    readonly file: string,
  ) {
    super('internal', `the audit log cannot be read: ${errno} (${path.basename(file)})`);
  }
}

export function errorCode(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? 'EIO';
}

/** <path>.1 is the newest rotated file, <path>.<keep> the oldest. */
export function rotatedPath(file: string, n: number): string {
  return `${file}.${n}`;
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const s = await stat(file);
    return s.isFile() ? s.size : undefined;
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return 0;
    throw err;
  }
}

async function renameIfThere(from: string, to: string): Promise<void> {
  await rename(from, to).catch((err: unknown) => {
    if (errorCode(err) !== 'ENOENT') throw err;
  });
}

/** <path> -> <path>.1 -> … -> <path>.<keep>; the file that was <path>.<keep> is replaced (dropped). */
export async function rotate(file: string, keep: number): Promise<void> {
  for (let n = keep; n > 1; n--) await renameIfThere(rotatedPath(file, n - 1), rotatedPath(file, n));
  await renameIfThere(file, rotatedPath(file, 1));
}

/**
 * Appends one line, rotating first when the line would take the file past maxBytes. The file is created with mode
 * 0600. Not a regular file (e.g. a directory in its place): no rotation, and the append fails and says why.
 */
export async function appendWithRotation(file: string, line: string, maxBytes: number, keep: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const size = await sizeOf(file);
  if (size !== undefined && size > 0 && size + Buffer.byteLength(line) > maxBytes) await rotate(file, keep);
  await appendFile(file, line, { encoding: 'utf8', mode: 0o600 });
}

export interface AuditFile {
  path: string;
  bytes: number;
}

/** The rotated files that exist, newest first (<path>.1, .2, …, up to keep); a gap ends the list. */
export async function rotatedFiles(file: string, keep: number): Promise<AuditFile[]> {
  const files: AuditFile[] = [];
  for (let n = 1; n <= keep; n++) {
    const rotated = rotatedPath(file, n);
    try {
      // The audit log lives outside the app: no build-time file tracing for it.
      files.push({ path: rotated, bytes: (await stat(/* turbopackIgnore: true */ rotated)).size });
    } catch (err) {
      if (errorCode(err) === 'ENOENT') break;
      throw new AuditLogUnreadable(errorCode(err), rotated);
    }
  }
  return files;
}
