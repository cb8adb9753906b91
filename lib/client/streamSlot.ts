'use client';

/**
 * Live streams per browser. Chromium opens at most 6 HTTP/1.1 connections per host: six tabs each holding an
 * EventSource would take them all, and every other request of this browser to the dashboard would wait. A tab streams
 * only while it holds one of these Web Locks (shared by all tabs of the browser profile); the others poll.
 */
export const LIVE_STREAMS_PER_BROWSER = 3;

const lockName = (i: number) => `rcd-stream-${i}`;

/** What a tab got: a place (release it when the stream closes), none (all taken), or no Web Locks here at all. */
export type StreamSlot = { kind: 'held'; release: () => void } | { kind: 'none' } | { kind: 'unsupported' };

/** Takes a free place without waiting; the lock is held until `release` is called (or the tab goes away). */
export async function takeStreamSlot(): Promise<StreamSlot> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return { kind: 'unsupported' };
  for (let i = 0; i < LIVE_STREAMS_PER_BROWSER; i++) {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const got = await new Promise<boolean>((answer) => {
      locks
        .request(lockName(i), { ifAvailable: true }, async (lock) => {
          answer(lock !== null);
          if (lock) await held;
        })
        .catch(() => answer(false));
    });
    if (got) return { kind: 'held', release };
  }
  return { kind: 'none' };
}
