'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { SnapshotResponse } from '../api/types';
import type { Job } from '../jobs/types';
import type { TimelineEvent } from '../timeline/diff';
import { queryKeys, snapshotQuery, TIMELINE_KEEP } from './queries';

/**
 * The cluster's snapshot, pushed over Server-Sent Events into the react-query cache (polling only while the stream is
 * down). EventSource reconnects on its own; a fresh connection also refetches the timeline it may have missed.
 */
export function useLiveSnapshot(clusterId: string) {
  const queryClient = useQueryClient();
  const [live, setLive] = useState(false);
  useEffect(() => {
    const source = new EventSource(`/api/clusters/${encodeURIComponent(clusterId)}/stream`);
    source.onopen = () => {
      setLive(true);
      void queryClient.invalidateQueries({ queryKey: queryKeys.timeline(clusterId) });
    };
    source.onerror = () => setLive(false);
    source.addEventListener('snapshot', (event) => {
      queryClient.setQueryData(
        queryKeys.snapshot(clusterId),
        JSON.parse((event as MessageEvent<string>).data) as SnapshotResponse,
      );
    });
    source.addEventListener('timeline', (event) => {
      const fresh = JSON.parse((event as MessageEvent<string>).data) as TimelineEvent[];
      queryClient.setQueryData<TimelineEvent[]>(queryKeys.timeline(clusterId), (old = []) =>
        [...fresh.reverse(), ...old].slice(0, TIMELINE_KEEP),
      );
    });
    source.addEventListener('job', (event) => {
      const job = JSON.parse((event as MessageEvent<string>).data) as Job;
      queryClient.setQueryData(queryKeys.job(job.id), job);
      queryClient.setQueryData<Job[]>(queryKeys.jobs(clusterId), (old) =>
        old ? [job, ...old.filter((j) => j.id !== job.id)] : old,
      );
    });
    // The server dropped part of a list this page fell behind on: fetch it whole.
    source.addEventListener('resync', (event) => {
      const missed = JSON.parse((event as MessageEvent<string>).data) as { timeline?: true; jobs?: true };
      if (missed.timeline) void queryClient.invalidateQueries({ queryKey: queryKeys.timeline(clusterId) });
      if (missed.jobs) void queryClient.invalidateQueries({ queryKey: queryKeys.jobs(clusterId) });
    });
    return () => {
      source.close();
      setLive(false);
    };
  }, [clusterId, queryClient]);
  return { query: useQuery(snapshotQuery(clusterId, live)), live };
}
