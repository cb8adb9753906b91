import type { AddNodeParams, Job, MoveReplicaParams, RemoveNodeParams } from '../jobs/types';
import type { Finding } from './types';

/** The kinds of job that make a replica sync from a (new) master, and how each says what the sync is. */
const SYNC_OF: Record<string, string> = {
  'add-node': "initial sync of the job's new replica",
  'move-replica': 'initial sync of the replica with its new master',
  'remove-node': 'initial sync of a replica re-homed by the job',
};

/** The replicas a running lifecycle job sets replicating (their link is down until their first full sync ends). */
function syncingReplicas(job: Pick<Job, 'kind' | 'params'>): string[] {
  if (job.kind === 'add-node') {
    const p = job.params as AddNodeParams | undefined;
    return p?.role === 'replica' ? [p.nodeId] : [];
  }
  if (job.kind === 'move-replica') {
    const p = job.params as MoveReplicaParams | undefined;
    return p ? [p.replicaId] : [];
  }
  if (job.kind === 'remove-node') {
    const p = job.params as RemoveNodeParams | undefined;
    return p ? [p.nodeId, ...p.rehome.map((r) => r.replicaId)] : [];
  }
  return [];
}

/**
 * A replica whose link is down because a running add-node / move-replica / remove-node job of this dashboard just
 * pointed it at a master is that job's doing: said as information naming the job (as `duringMove` does for the open
 * slots of a rebalance), not as a critical finding inviting the operator to act mid-sync.
 */
export function duringLifecycle(
  findings: Finding[],
  jobs: ReadonlyArray<Pick<Job, 'id' | 'kind' | 'state' | 'params'>>,
): Finding[] {
  const owner = new Map<string, Pick<Job, 'id' | 'kind'>>();
  for (const job of jobs)
    if (job.state === 'running' && SYNC_OF[job.kind])
      for (const id of syncingReplicas(job)) if (!owner.has(id)) owner.set(id, job);
  if (owner.size === 0) return findings;
  return findings.map((f) => {
    const replicaId = f.nodeIds[0];
    const job = f.code === 'replication_link_down' && replicaId ? owner.get(replicaId) : undefined;
    if (!job) return f;
    const what = `${job.kind} job ${job.id}`;
    return {
      ...f,
      severity: 'info',
      headline: `replica link being set up by the running ${what}`,
      message: `Being handled by the running ${what}: ${f.message}`,
      action: `Nothing to do: ${SYNC_OF[job.kind]}; the job waits for master_link_status:up and ends then. Follow it in the lifecycle jobs panel.`,
    };
  });
}
