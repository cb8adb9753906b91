import 'server-only';
import type { RestartAdvance } from '@/lib/api/schemas';
import type { NodeProbe } from '@/lib/plan/restartHealth';
import { parseClusterInfo } from '@/lib/redis/clusterInfo';
import { parseInfo } from '@/lib/redis/info';
import type { JobConnections } from './jobConnections';

/** Every member's own view, cluster_state and link, read on the job's connections (at most ~1 s per node). */
export async function probeMembers(
  conns: JobConnections,
  members: ReadonlyArray<{ id: string; addr: string }>,
): Promise<NodeProbe[]> {
  return Promise.all(
    members.map(async ({ id, addr }): Promise<NodeProbe> => {
      const [view, info, replication] = await Promise.all([
        conns.view(id),
        conns.ask(id, 'CLUSTER', 'INFO'),
        conns.ask(id, 'INFO', 'replication'),
      ]);
      const clusterState = typeof info === 'string' ? String(parseClusterInfo(info).cluster_state) : undefined;
      const linkStatus = typeof replication === 'string' ? parseInfo(replication).fields.master_link_status : undefined;
      return {
        id,
        addr,
        answered: view !== undefined,
        ...(view ? { view } : {}),
        ...(clusterState ? { clusterState } : {}),
        ...(linkStatus ? { linkStatus } : {}),
      };
    }),
  );
}

/** INFO server run_id: a new one means a new process (a restart), whatever else stayed the same. */
export async function runIdOf(conns: JobConnections, nodeId: string): Promise<string | undefined> {
  const text = await conns.ask(nodeId, 'INFO', 'server');
  return typeof text === 'string' ? parseInfo(text).fields.run_id : undefined;
}

export interface AdvanceRequest {
  action: RestartAdvance;
  by: string;
}

interface Waiting {
  step: string;
  request?: AdvanceRequest;
}

// The steps that wait for an operator, by job id: only the process running the job has its entry (as for cancel).
const KEY = Symbol.for('redis-cluster-dashboard.restart-waits');
type Holder = { [KEY]?: Map<string, Waiting> };
function waits(): Map<string, Waiting> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

export function openWait(jobId: string, step: string): void {
  waits().set(jobId, { step });
}

export function closeWait(jobId: string): void {
  waits().delete(jobId);
}

/** The operator's skip/done for this step, if given since the last look. */
export function advanceOf(jobId: string): AdvanceRequest | undefined {
  return waits().get(jobId)?.request;
}

/** The step the job waits on now, or why the request cannot end it. */
export function requestAdvance(
  jobId: string,
  request: AdvanceRequest,
  step?: string,
): { ok: true; step: string } | { ok: false; reason: string } {
  const waiting = waits().get(jobId);
  if (!waiting) return { ok: false, reason: 'the job is not waiting for a node to be restarted' };
  if (step !== undefined && step !== waiting.step)
    return { ok: false, reason: `the job has moved on: it waits on "${waiting.step}", not "${step}"` };
  waiting.request ??= request;
  return { ok: true, step: waiting.step };
}
