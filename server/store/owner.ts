import 'server-only';
import { readFileSync } from 'node:fs';

/**
 * Which process runs a job or writes a timeline: "pid:start-time". The start time (from /proc, in clock ticks since
 * boot) tells a live owner from a later process that reused its pid; where /proc is missing it is "0" and only the pid
 * is checked.
 */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22; the command name (field 2) may hold spaces, so count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

const PROC = startTime(process.pid) !== undefined;
let self: string | undefined;

export function thisProcess(): string {
  self ??= `${process.pid}:${startTime(process.pid) ?? '0'}`;
  return self;
}

/** Whether the process that wrote `owner` still runs. */
export function ownerAlive(owner: string): boolean {
  if (owner === thisProcess()) return true;
  const [pidText, started] = owner.split(':');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (PROC) return started !== '0' && startTime(pid) === started;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
