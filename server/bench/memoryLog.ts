import 'server-only';
import { streamSlots } from '../clusters/streamSlots';
import { getPoller, listClusters } from '../collect/pollers';
import { jobListenerCount } from '../jobs/registry';

/** Environment variable: log this process's memory every this many ms (used by `npm run bench:soak`). */
export const MEMORY_LOG_ENV = 'DASHBOARD_BENCH_MEMORY_LOG_MS';

/** What one `[bench] memory` line carries. */
export interface MemoryLine {
  at: string;
  /** True when a full GC ran just before (the process was started with --expose-gc): heapUsed is then what is live. */
  afterGc: boolean;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  /** process.getActiveResourcesInfo() counted by kind (timers, sockets, ...). */
  resources: Record<string, number>;
  /** Open event streams, the pollers' snapshot and stop listeners, and the job listeners: each back down when viewers leave. */
  streams: number;
  pollerListeners: number;
  jobListeners: number;
}

function memoryLine(): MemoryLine {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const m = process.memoryUsage();
  const resources: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) resources[kind] = (resources[kind] ?? 0) + 1;
  return {
    at: new Date().toISOString(),
    afterGc: gc !== undefined,
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    arrayBuffers: m.arrayBuffers,
    resources,
    streams: streamSlots().count(),
    pollerListeners: listClusters().reduce((n, c) => n + (getPoller(c.id)?.listenerCount ?? 0), 0),
    jobListeners: jobListenerCount(),
  };
}

/** Off unless the environment asks: a bench reads these lines from the log (never for users: a full GC is costly). */
export function startMemoryLog(env: NodeJS.ProcessEnv = process.env): void {
  const every = Number(env[MEMORY_LOG_ENV]);
  if (!Number.isInteger(every) || every < 1000) return;
  const timer = setInterval(() => console.log(`[bench] memory ${JSON.stringify(memoryLine())}`), every);
  timer.unref();
}
