import 'server-only';
import { accessSync, chmodSync, constants, mkdirSync, statSync } from 'node:fs';

/** The data folder holds job history and session revocations: only the dashboard's own user may read it. */
export const DATA_DIR_MODE = 0o700;

export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

export interface DataDirSetup {
  created: boolean;
  /** The mode an existing folder had when it let other users in, before it was narrowed to 0700. */
  narrowedFrom?: string;
}

/**
 * Creates the data folder with mode 0700, or narrows an existing one to 0700. Throws DataDirError (the reason,
 * without the field name) when the folder cannot be used.
 */
export function prepareDataDir(dir: string): DataDirSetup {
  let existing: ReturnType<typeof statSync> | undefined;
  try {
    existing = statSync(/*turbopackIgnore: true*/ dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw unusable(dir, err);
  }
  if (!existing) {
    try {
      mkdirSync(/*turbopackIgnore: true*/ dir, { recursive: true, mode: DATA_DIR_MODE });
      // mkdir applies the umask; say exactly 0700.
      chmodSync(/*turbopackIgnore: true*/ dir, DATA_DIR_MODE);
    } catch (err) {
      throw unusable(dir, err, 'cannot create it');
    }
    return { created: true };
  }
  if (!existing.isDirectory()) throw new DataDirError(`${dir} is not a folder`);
  try {
    accessSync(/*turbopackIgnore: true*/ dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (err) {
    throw unusable(dir, err, 'not writable by the dashboard');
  }
  const mode = Number(existing.mode) & 0o777;
  if ((mode & 0o077) === 0) return { created: false };
  try {
    chmodSync(/*turbopackIgnore: true*/ dir, DATA_DIR_MODE);
  } catch (err) {
    throw unusable(dir, err, `mode ${octal(mode)} lets other users read it and it cannot be narrowed to 0700`);
  }
  return { created: false, narrowedFrom: octal(mode) };
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;

function unusable(dir: string, err: unknown, what = 'cannot be used'): DataDirError {
  const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
  return new DataDirError(`${dir}: ${what} (${code})`);
}
