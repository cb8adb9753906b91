import { type ChildProcess, spawn } from 'node:child_process';

/** A process this harness started (redis-sentinel, valkey-server --sentinel, haproxy), stopped only by its PID. */
export interface TrackedProcess {
  pid: number;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  // Last resort when the owner crashed before stop(): never leave sentinels or HAProxy behind.
  for (const child of liveChildren) if (child.pid !== undefined && child.exitCode === null) child.kill('SIGKILL');
});

export function spawnTracked(bin: string, args: string[], cwd: string): TrackedProcess {
  const child = spawn(bin, args, { cwd, stdio: 'ignore' });
  liveChildren.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      liveChildren.delete(child);
      resolve(code);
    });
    child.once('error', () => {
      liveChildren.delete(child);
      resolve(-1);
    });
  });
  if (child.pid === undefined) {
    liveChildren.delete(child);
    throw new Error(`${bin} did not start (not installed? run bash scripts/setup.sh)`);
  }
  return { pid: child.pid, child, exited };
}

export function isRunning(proc: TrackedProcess): boolean {
  return proc.child.exitCode === null && proc.child.signalCode === null;
}

/** SIGCONT (a paused process cannot act on SIGTERM), SIGTERM, then SIGKILL after a grace period. */
export async function stopTracked(proc: TrackedProcess, graceMs = 3000): Promise<void> {
  if (!isRunning(proc)) return;
  proc.child.kill('SIGCONT');
  proc.child.kill('SIGTERM');
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), graceMs);
  await proc.exited;
  clearTimeout(timer);
}
