import 'server-only';
import type { SnapshotView, StreamQuery } from '@/lib/api/schemas';
import { allows, type Principal } from '@/lib/auth/access';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { ApiError } from '../api/errors';
import { principalFromToken, readCookie, SESSION_COOKIE } from '../auth/session';
import type { ClusterPoller } from '../collect/poller';
import { getPoller } from '../collect/pollers';
import { onJobChange } from '../jobs/registry';
import { pollerOr404 } from './poller';
import { DeltaFrames } from './streamDelta';
import { StreamOutbox, sseFrame } from './streamOutbox';
import { STREAMS_PER_PRINCIPAL, streamSlots } from './streamSlots';
import { inViewJson } from './view';

const HEARTBEAT_MS = 15_000;
/** How often an open stream asks again whether its session holds (logout, revocation, role change, expiry). */
export const SESSION_RECHECK_MS = 5_000;

/** Why the server ended a stream, in its last frame (`event: end`). */
export type StreamEnd = 'session_ended' | 'cluster_removed' | 'cluster_changed';

/**
 * Streams are counted per user name (all its sessions), and for every kiosk session together: anyone holding the kiosk
 * token can open more kiosk sessions, so a per-session count would be no cap (the wall and overview poll; no page a
 * kiosk opens uses a stream).
 */
function principalKey(principal: Principal): string {
  return principal.kind === 'user' ? `user:${principal.name}` : 'kiosk';
}

function samePrincipal(now: Principal | undefined, then: Principal): boolean {
  if (!now || now.kind !== then.kind) return false;
  return now.kind === 'kiosk' || (then.kind === 'user' && now.name === then.name && now.role === then.role);
}

/** The principal the request's cookie still gives, or undefined (a config that cannot be read ends streams too). */
function principalNow(token: string | undefined): Principal | undefined {
  try {
    return principalFromToken(token);
  } catch {
    return undefined;
  }
}

/** The cluster's poller now (a config reload may have replaced or removed it); never throws inside a timer. */
function currentPoller(clusterId: string): ClusterPoller | undefined {
  try {
    return getPoller(clusterId);
  } catch {
    return undefined;
  }
}

export interface StreamRequest {
  clusterId: string;
  request: Request;
  principal: Principal | undefined;
  query: StreamQuery;
}

function watch(
  poller: ClusterPoller,
  outbox: StreamOutbox,
  { view, delta }: StreamQuery,
  clusterId: string,
): () => void {
  const interval = poller.cluster.pollIntervalMs;
  const event = view === 'wall' ? 'wall' : 'snapshot';
  // Deltas for the full view only: the wall's view is small and computed per frame.
  const frames = delta && view === 'full' ? new DeltaFrames(interval) : undefined;
  const send = (snapshot: ClusterSnapshot) => {
    if (frames) outbox.setSnapshotFrame(() => frames.frame(snapshot));
    else outbox.setSnapshot(event, () => inViewJson(snapshot, interval, view));
  };
  const latest = poller.latest;
  if (latest) send(latest);
  const unsubscribe = poller.subscribe((snapshot, events) => {
    send(snapshot);
    if (view === 'full') outbox.addTimeline(events);
  });
  // Jobs of this cluster (failover steps, scan progress) go to the full view only: never to a wall or kiosk.
  const unsubscribeJobs =
    view === 'full'
      ? onJobChange((job) => {
          if (job.clusterId === clusterId) outbox.setJob(job);
        })
      : () => {};
  return () => {
    unsubscribe();
    unsubscribeJobs();
  };
}

/**
 * Server-Sent Events: the latest snapshot at once, then the newest after every poll, with the timeline events and job
 * changes since (see StreamOutbox: a slow reader gets the newest, never a backlog). Each viewer is one more listener on
 * the cluster's single poller; no viewer causes a Redis command. With `?delta=1` (the full view) the snapshots after
 * the first go as what changed (see streamDelta.ts). Capped per principal and in all (429), and ended
 * within SESSION_RECHECK_MS once its session no longer holds.
 */
export function snapshotStream({ clusterId, request, principal, query }: StreamRequest): Response {
  if (!principal) throw new ApiError('unauthenticated', 'log in first');
  // Next answers HEAD with the GET handler and never reads or cancels the body, so the slot would only come back
  // when the session ends: only GET opens a stream.
  if (request.method !== 'GET') return new Response(null, { status: 405, headers: { allow: 'GET' } });
  const view: SnapshotView = principal.kind === 'kiosk' ? 'wall' : query.view;
  const poller = pollerOr404(clusterId);
  const token = readCookie(request.headers.get('cookie'), SESSION_COOKIE);
  const slot = streamSlots().acquire(principalKey(principal));
  if ('refused' in slot) {
    throw new ApiError(
      'rate_limited',
      slot.refused === 'principal'
        ? `at most ${STREAMS_PER_PRINCIPAL} open streams ${principal.kind === 'kiosk' ? 'for all kiosk screens together' : 'per user'}; close a page first`
        : 'the dashboard has as many open streams as it serves; retry later',
      undefined,
      5,
    );
  }
  let stop = () => {};
  const outbox = new StreamOutbox('retry: 2000\n\n', () => stop());
  const unwatch = watch(poller, outbox, { ...query, view }, clusterId);
  const heartbeat = setInterval(() => outbox.keepAlive(), HEARTBEAT_MS);
  const end = (reason: StreamEnd) => outbox.end(sseFrame('end', { reason }));
  const recheck = setInterval(() => {
    const now = principalNow(token);
    if (!samePrincipal(now, principal) || !allows(now, 'kiosk')) end('session_ended');
    else if (currentPoller(clusterId) !== poller) end('cluster_removed');
  }, SESSION_RECHECK_MS);
  // A config reload replaced or removed the cluster's poller: the browser reconnects (retry) to the new one, if any.
  const unsubscribeStop = poller.onStop(() => end('cluster_changed'));
  const onAbort = () => outbox.end();
  stop = () => {
    unwatch();
    unsubscribeStop();
    clearInterval(heartbeat);
    clearInterval(recheck);
    request.signal.removeEventListener('abort', onAbort);
    slot.release();
  };
  request.signal.addEventListener('abort', onAbort);
  if (request.signal.aborted) outbox.end();
  return new Response(outbox.body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
