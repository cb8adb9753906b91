import { isSlotMoving, type Job, type ReshardJob, type ReshardRequest } from '../jobs/types';
import { formatRanges, slotCount } from '../redis/slots';

/** A finished reshard stays on the cluster page this long after it ended (a running or interrupted one, always). */
export const RECENT_RESHARD_MS = 10 * 60_000;

const started = (j: Job) => Date.parse(j.startedAt) || 0;

/**
 * The slot move (reshard, rebalance, drain, fix) the cluster page shows: `preferId` (the one this browser just
 * started) when it is one; else one
 * running, else one interrupted (it holds open slots until resumed or rolled back), else the latest one that ended
 * less than RECENT_RESHARD_MS ago.
 */
export function currentReshard(
  jobs: readonly Job[] | undefined,
  now: number,
  preferId?: string,
): ReshardJob | undefined {
  const reshards = (jobs ?? []).filter(isSlotMoving).sort((a, b) => started(b) - started(a));
  const pick =
    reshards.find((j) => j.id === preferId) ??
    reshards.find((j) => j.state === 'running') ??
    reshards.find((j) => j.state === 'interrupted') ??
    reshards.find((j) => {
      const ended = Date.parse(j.endedAt ?? '');
      return Number.isFinite(ended) && now - ended < RECENT_RESHARD_MS;
    });
  return pick as ReshardJob | undefined;
}

/** The job's kind as the page names it. */
export const MOVE_WORD: Record<string, string> = {
  reshard: 'Reshard',
  rebalance: 'Rebalance',
  drain: 'Drain',
  fix: 'Fix',
};

/** What a rebalance or a drain was asked, in words: "by keys, threshold 2 %, using empty masters". */
export function describeMove(job: Pick<Job, 'kind' | 'params'>, addr: (id: string) => string): string {
  const p = (job.params ?? {}) as {
    by?: string;
    threshold?: number;
    useEmptyMasters?: boolean;
    nodeId?: string;
    weights?: Record<string, number>;
  };
  if (job.kind === 'drain') return `every slot of ${p.nodeId ? addr(p.nodeId) : '?'} to the other masters by weight`;
  if (job.kind === 'fix') return 'the open and uncovered slots, as redis-cli --cluster fix would';
  const weighted = Object.keys(p.weights ?? {}).length;
  return [
    `by ${p.by ?? 'slots'}`,
    `threshold ${p.threshold ?? 2} %`,
    ...(p.useEmptyMasters ? ['using empty masters'] : []),
    ...(weighted ? [`${weighted} weight(s) set`] : []),
  ].join(', ');
}

/** What was asked, in words: "slots 0-1819 (1,820)" or "1,000 slots from all masters". */
export function describeRequest(request: ReshardRequest | undefined, addr: (id: string) => string): string {
  if (!request) return 'slots';
  if ('slots' in request)
    return `slots ${formatRanges(request.slots)} (${slotCount(request.slots).toLocaleString('en-US')})`;
  const from = request.sources === 'all' ? 'all masters' : request.sources.map(addr).join(', ');
  return `${request.count.toLocaleString('en-US')} slots from ${from}`;
}

/** "1 h 02 min", "3 min 05 s", "42 s", "0.8 s". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`;
}
