// Reads a cluster's snapshot stream (SSE) and records when each pushed snapshot's poll started and how many nodes it
// found unreachable: how a test or bench sees whether the poller keeps its pace.

export interface PolledSnapshot {
  /** collectedAt, ms since the epoch: when the poll started. */
  collectedAt: number;
  unreachable: number;
}

/** Appends every snapshot pushed on the stream to `into` until `signal` aborts. */
export async function recordSnapshots(
  baseURL: string,
  clusterId: string,
  cookie: string,
  into: PolledSnapshot[],
  signal: AbortSignal,
): Promise<void> {
  const response = await fetch(`${baseURL}/api/clusters/${clusterId}/stream`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal,
  });
  if (!response.ok || !response.body) throw new Error(`snapshot stream answered ${response.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!frame.startsWith('event: snapshot\n')) continue;
        const data = frame.split('\n').find((l) => l.startsWith('data: '));
        const snapshot = JSON.parse(data?.slice('data: '.length) ?? '{}') as {
          collectedAt: string;
          summary: { nodes: number; reachable: number };
        };
        into.push({
          collectedAt: Date.parse(snapshot.collectedAt),
          unreachable: snapshot.summary.nodes - snapshot.summary.reachable,
        });
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

/** Gaps between consecutive polls that started within [from, to]. */
export function pollGaps(samples: PolledSnapshot[], from: number, to: number): number[] {
  const inWindow = samples.filter((s) => s.collectedAt >= from && s.collectedAt <= to);
  return inWindow.slice(1).map((s, i) => s.collectedAt - (inWindow[i]?.collectedAt ?? s.collectedAt));
}
