import 'server-only';
import { isSlotMoving, type Job } from '@/lib/jobs/types';
import { getPoller } from '../collect/pollers';
import { getJob, listJobs } from '../jobs/registry';
import { saveJob } from '../store/jobs';
import { refreshOpenSlots } from './reshardJob';

/**
 * At start-up the store marks a reshard the last process left running `interrupted`, with the slots its journal may
 * have left open. Once its cluster answers, those are narrowed to the slots the nodes themselves still show open, with
 * the keys left on each source: what the operator weighs before resume or roll back. A job resumed meanwhile is left
 * alone; a cluster that does not answer keeps the journal's list, and is asked again for a while.
 */
/** A cluster that does not answer yet (or is busy) is asked again this often, for this long. */
const RETRY_MS = 5_000;
const RETRY_FOR_MS = 10 * 60_000;

export async function refreshInterruptedReshards(): Promise<void> {
  const interrupted = listJobs().filter((j) => isSlotMoving(j) && j.state === 'interrupted');
  await Promise.all(interrupted.map((job) => refreshOne(job, Date.now() + RETRY_FOR_MS)));
}

async function refreshOne(job: Job, giveUpAt: number): Promise<void> {
  for (;;) {
    const poller = getPoller(job.clusterId);
    if (!poller || getJob(job.id)?.state !== 'interrupted') return;
    try {
      await poller.fresh();
      const open = await refreshOpenSlots(poller, { ...job });
      const now = getJob(job.id);
      if (now?.state !== 'interrupted') return;
      now.openSlots = open;
      saveJob(now);
      const slots = open.map((s) => s.slot).join(', ');
      console.log(
        `[${job.kind}] interrupted job ${job.id} on ${job.clusterId}: ${open.length} slot(s) still open on the nodes${open.length ? ` (${slots.slice(0, 200)})` : ''}`,
      );
      return;
    } catch (err) {
      const last = Date.now() + RETRY_MS > giveUpAt;
      console.warn(
        `[reshard] could not read the open slots of interrupted job ${job.id} from the nodes (the journal's list stands${last ? '' : `; asked again in ${RETRY_MS / 1000} s`}):`,
        err instanceof Error ? err.message : err,
      );
      if (last) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
