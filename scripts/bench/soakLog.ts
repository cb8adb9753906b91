// Reads what the dashboard wrote to its log during bench:soak: the `[bench] memory` lines and any warning.
import { readFile } from 'node:fs/promises';
import type { MemoryLine } from '../../server/bench/memoryLog';

/** One `[bench] memory` line, as the server writes it. */
export type MemorySample = MemoryLine;

const MEMORY_PREFIX = '[bench] memory ';

export function memorySamples(log: string): MemorySample[] {
  const out: MemorySample[] = [];
  for (const line of log.split('\n')) {
    const at = line.indexOf(MEMORY_PREFIX);
    if (at !== -1) out.push(JSON.parse(line.slice(at + MEMORY_PREFIX.length)) as MemorySample);
  }
  return out;
}

/**
 * Lines of the log that are a warning: Node's process warnings ("(node:123) SomeWarning: ...", e.g.
 * MaxListenersExceededWarning), anything naming a Warning, and the dashboard's own "warn" lines.
 */
export function warningsIn(log: string): string[] {
  return log
    .split('\n')
    .filter((line) => !line.includes(MEMORY_PREFIX))
    .filter((line) => /Warning\b|^\(node:\d+\)|\bwarn(ing)?\b/i.test(line));
}

/** Resident set size of a process from /proc/<pid>/status (VmRSS), in bytes. */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(match[1]) * 1024;
}
