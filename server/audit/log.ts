import 'server-only';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditEntry } from '@/lib/api/types';
import { currentConfig } from '../collect/pollers';

const SECRET_KEY = /pass|secret|token|hash|auth|credential/i;

/** Drops secret-looking keys (at any depth) and cuts long strings; what is left is safe to keep forever. */
export function redactParams(value: unknown, depth = 0): unknown {
  if (depth > 4) return '…';
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => redactParams(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([key]) => !SECRET_KEY.test(key))
        .map(([key, v]) => [key, redactParams(v, depth + 1)]),
    );
  }
  return value;
}

// Appends are chained so lines never interleave, and a failing disk never fails the request it records.
let queue: Promise<void> = Promise.resolve();

export function audit(entry: Omit<AuditEntry, 'at'> & { at?: string }): Promise<void> {
  const file = currentConfig().auditLogPath;
  const line = `${JSON.stringify({ at: entry.at ?? new Date().toISOString(), ...entry, params: entry.params && redactParams(entry.params) })}\n`;
  queue = queue
    .then(async () => {
      await mkdir(path.dirname(file), { recursive: true });
      await appendFile(file, line, { encoding: 'utf8', mode: 0o600 });
    })
    .catch((err: unknown) => console.error('[audit] could not append to the audit log:', (err as Error).message));
  return queue;
}

/** The newest `limit` entries, newest first. Lines that do not parse are skipped. */
export async function readAudit(limit: number): Promise<AuditEntry[]> {
  await queue;
  let text: string;
  try {
    text = await readFile(currentConfig().auditLogPath, 'utf8');
  } catch {
    return [];
  }
  const entries: AuditEntry[] = [];
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0 && entries.length < limit; i--) {
    const line = lines[i];
    if (!line) continue;
    try {
      entries.push(JSON.parse(line) as AuditEntry);
    } catch {
      // A torn last line after a crash: skip it, keep the rest.
    }
  }
  return entries;
}

export async function auditFileText(): Promise<string> {
  await queue;
  return readFile(currentConfig().auditLogPath, 'utf8').catch(() => '');
}
