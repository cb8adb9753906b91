import 'server-only';
import type { SetNodeTimeoutResult } from '@/lib/api/types';
import type { ConfigSetResult, Job } from '@/lib/jobs/types';
import { ApiError } from '../api/errors';
import type { ClusterPoller } from '../collect/poller';
import { getJob, onJobChange } from '../jobs/registry';
import { startConfigSetOn } from './configSet';

/**
 * redis-cli --cluster set-timeout, kept as POST …/config/node-timeout: a config-set job (CONFIG SET
 * cluster-node-timeout on every node, rolled back everywhere if one refuses, then CONFIG REWRITE), awaited and
 * answered in the old shape. Refused while another operation holds the cluster or any node cannot take it.
 */
export async function setNodeTimeout(
  poller: ClusterPoller,
  timeoutMs: number,
  who: { user: string; role: string } = { user: 'anonymous', role: 'none' },
): Promise<SetNodeTimeoutResult & { jobId: string }> {
  const { jobId } = await startConfigSetOn(
    poller,
    { params: { 'cluster-node-timeout': String(timeoutMs) }, rewrite: true },
    who,
  );
  const job = (await ended(jobId)) as Job<ConfigSetResult>;
  if (job.state !== 'succeeded' || !job.result)
    throw new ApiError('conflict', `${job.error ?? job.state}; job ${jobId}`);
  return {
    jobId,
    timeoutMs,
    nodes: job.result.nodes.map((n) => ({
      id: n.id,
      addr: n.addr,
      ok: true,
      rewritten: n.rewritten === true,
      ...(n.note ? { error: n.note } : {}),
    })),
  };
}

function ended(jobId: string): Promise<Job> {
  return new Promise((resolve) => {
    const check = (job: Job | undefined) => {
      if (job && job.id === jobId && job.state !== 'running') {
        stop();
        resolve(job);
      }
    };
    const stop = onJobChange(check);
    check(getJob(jobId));
  });
}
