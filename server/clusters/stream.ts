import 'server-only';
import type { SnapshotResponse } from '@/lib/api/types';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import type { TimelineEvent } from '@/lib/timeline/diff';
import { onJobChange } from '../jobs/registry';
import { pollerOr404 } from './poller';

const HEARTBEAT_MS = 15_000;
const encoder = new TextEncoder();

function frame(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function withAge(snapshot: ClusterSnapshot, pollIntervalMs: number): SnapshotResponse {
  return { ...snapshot, ageMs: Math.max(0, Date.now() - Date.parse(snapshot.collectedAt)), pollIntervalMs };
}

/**
 * Server-Sent Events: the latest snapshot at once, then every new one with the timeline events it brought. Each viewer
 * is one more listener on the cluster's single poller; no viewer causes a Redis command.
 */
export function snapshotStream(clusterId: string, signal: AbortSignal): Response {
  const poller = pollerOr404(clusterId);
  const interval = poller.cluster.pollIntervalMs;
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (bytes: Uint8Array) => {
        try {
          controller.enqueue(bytes);
        } catch {
          cleanup();
        }
      };
      send(encoder.encode(`retry: 2000\n\n`));
      if (poller.latest) send(frame('snapshot', withAge(poller.latest, interval)));
      const unsubscribe = poller.subscribe((snapshot, events: TimelineEvent[]) => {
        send(frame('snapshot', withAge(snapshot, interval)));
        if (events.length) send(frame('timeline', events));
      });
      // Jobs of this cluster (failover steps, scan progress), pushed as they change.
      const unsubscribeJobs = onJobChange((job) => {
        if (job.clusterId === clusterId) send(frame('job', job));
      });
      const heartbeat = setInterval(() => send(encoder.encode(': keep-alive\n\n')), HEARTBEAT_MS);
      const end = () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed by the client
        }
      };
      // A config reload replaced or removed the cluster's poller: the browser reconnects (retry) to the new one.
      const unsubscribeStop = poller.onStop(end);
      cleanup = () => {
        unsubscribe();
        unsubscribeJobs();
        unsubscribeStop();
        clearInterval(heartbeat);
      };
      signal.addEventListener('abort', end);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  });
}
