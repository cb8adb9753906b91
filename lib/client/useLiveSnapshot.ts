'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { SnapshotResponse } from '../api/types';
import { applyDelta, type SnapshotDelta } from '../cluster/snapshotDelta';
import type { Job } from '../jobs/types';
import type { TimelineEvent } from '../timeline/diff';
import { keepImportant } from '../timeline/trim';
import { queryKeys, snapshotQuery, TIMELINE_KEEP } from './queries';
import { markSessionEnded, useSessionEnded } from './session';
import { takeStreamSlot } from './streamSlot';

/** A tab without a stream place asks again this often (another tab may have closed). */
const SLOT_RETRY_MS = 10_000;

/** Why a closed stream was refused: 429 says so in its message; 401 means the session ended. */
async function probeRefusal(url: string): Promise<string | undefined> {
  const probe = new AbortController();
  try {
    const response = await fetch(url, { signal: probe.signal, cache: 'no-store' });
    if (response.status === 401) markSessionEnded();
    if (response.status !== 429) return undefined;
    const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    return body?.error?.message ?? 'the server refused the stream';
  } catch {
    return undefined;
  } finally {
    probe.abort();
  }
}

/**
 * The cluster's snapshot, pushed over Server-Sent Events into the react-query cache (polling only while the stream is
 * down). EventSource reconnects on its own; a fresh connection also refetches the timeline it may have missed.
 * A tab streams only with one of the browser's few stream places (see streamSlot.ts); without one it polls
 * (`capped`). A stream the server refused (429) is not retried; `refusal` says why. Nothing runs once the session
 * has ended.
 */
export function useLiveSnapshot(clusterId: string) {
  const queryClient = useQueryClient();
  const [live, setLive] = useState(false);
  const [capped, setCapped] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const ended = useSessionEnded();
  useEffect(() => {
    if (ended) return;
    let closed = false;
    let current: EventSource | undefined;
    let release = () => {};
    let retry: ReturnType<typeof setTimeout> | undefined;
    const url = `/api/clusters/${encodeURIComponent(clusterId)}/stream`;
    const claim = async () => {
      const slot = await takeStreamSlot();
      if (closed) {
        if (slot.kind === 'held') slot.release();
        return;
      }
      if (slot.kind === 'none') {
        setCapped(true);
        retry = setTimeout(() => void claim(), SLOT_RETRY_MS);
        return;
      }
      setCapped(false);
      if (slot.kind === 'held') release = slot.release;
      current = open(url);
    };
    const open = (url: string) => {
      const source = new EventSource(`${url}?delta=1`);
      source.onopen = () => {
        setLive(true);
        setRefusal(undefined);
        void queryClient.invalidateQueries({ queryKey: queryKeys.timeline(clusterId) });
      };
      source.onerror = () => {
        setLive(false);
        // Closed for good (a non-200 answer): give the place back and find out why.
        if (source.readyState !== EventSource.CLOSED) return;
        release();
        void probeRefusal(url).then((why) => {
          if (!closed) setRefusal(why);
        });
      };
      source.addEventListener('end', (event) => {
        const { reason } = JSON.parse((event as MessageEvent<string>).data) as { reason?: string };
        if (reason === 'session_ended') {
          source.close();
          markSessionEnded();
        }
      });
      // The stream sends the whole snapshot first, then what changed (deltas): the page keeps the unchanged nodes'
      // objects, so rows that did not change are not drawn again.
      let held: { snapshot: SnapshotResponse; seq: number } | undefined;
      source.addEventListener('snapshot', (event) => {
        const message = event as MessageEvent<string>;
        const snapshot = JSON.parse(message.data) as SnapshotResponse;
        held = { snapshot, seq: Number(message.lastEventId) };
        queryClient.setQueryData(queryKeys.snapshot(clusterId), snapshot);
      });
      source.addEventListener('delta', (event) => {
        const delta = JSON.parse((event as MessageEvent<string>).data) as SnapshotDelta;
        const outcome = applyDelta(held?.snapshot, held?.seq, delta);
        if ('resync' in outcome) {
          // A poll was missed: a new stream starts with the whole snapshot.
          held = undefined;
          source.close();
          if (!closed) current = open(url);
          return;
        }
        held = outcome;
        queryClient.setQueryData(queryKeys.snapshot(clusterId), outcome.snapshot);
      });
      source.addEventListener('timeline', (event) => {
        const fresh = JSON.parse((event as MessageEvent<string>).data) as TimelineEvent[];
        queryClient.setQueryData<TimelineEvent[]>(queryKeys.timeline(clusterId), (old = []) =>
          keepImportant([...fresh.reverse(), ...old], TIMELINE_KEEP),
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
      return source;
    };
    void claim();
    return () => {
      closed = true;
      clearTimeout(retry);
      current?.close();
      release();
      setLive(false);
    };
  }, [clusterId, queryClient, ended]);
  return { query: useQuery(snapshotQuery(clusterId, live)), live, capped, refusal };
}
