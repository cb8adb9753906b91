'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { jobsQuery } from '@/lib/client/queries';
import type { ReshardJob } from '@/lib/jobs/types';
import { currentReshard } from '@/lib/reshard/job';
import type { SlotMarks } from '../slots/SlotMap';

/**
 * The reshard the cluster page shows (see `currentReshard`), from the cluster's job list: the stream's 'job' events
 * update that list in the cache as the engine reports, and it is polled every second while a job runs.
 */
export function useCurrentReshard(
  clusterId: string,
  canView: boolean,
  now: number,
  preferId?: string,
): { job: ReshardJob | undefined; marks: SlotMarks | undefined } {
  const jobs = useQuery({ ...jobsQuery(clusterId), enabled: canView });
  const job = currentReshard(jobs.data, now, preferId);
  const migration = job?.state === 'running' ? job.migration : undefined;
  // Same arrays, same marks: the map redraws only when the engine reports a change.
  const marks = useMemo(
    () => (migration ? { inFlight: migration.inFlight, moved: migration.moved } : undefined),
    [migration],
  );
  return { job, marks };
}
