import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/clusters/[id]/stream/route';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { sessionCookie } from '../auth/session';
import { getPoller, stopPollers } from '../collect/pollers';
import { jobListenerCount } from '../jobs/registry';
import { streamSlots } from './streamSlots';

const PASSWORD = 'stream-int-pw';
const POLL_MS = 250;
const decoder = new TextDecoder();
let dev: DevCluster;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'stream-int-'));
  dev = await startThreeHostCluster({ password: PASSWORD });
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      clusters: [
        {
          id: 's',
          name: 'Stream',
          seeds: [dev.nodes[0]?.addr],
          password: PASSWORD,
          pollIntervalMs: POLL_MS,
          nodeDeadlineMs: 500,
        },
      ],
      users: [{ name: 'vera', role: 'viewer', passwordHash: `$2b$10$${'a'.repeat(53)}` }],
      auditLogPath: 'audit.jsonl',
    }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  process.env.DASHBOARD_SESSION_SECRET = 'stream-int-secret-stream-int-secret-0123';
  const poller = getPoller('s');
  await waitFor('the first poll', async () => (poller?.latest?.summary.reachable === 6 ? true : undefined), 20_000);
}, 120_000);
afterAll(async () => {
  stopPollers();
  await dev?.stop();
  await rm(dir, { recursive: true, force: true });
});

function open(cookie: string, signal?: AbortSignal) {
  const request = new Request('http://127.0.0.1/api/clusters/s/stream', { headers: { cookie }, signal });
  return GET(request, { params: Promise.resolve({ id: 's' }) });
}

function viewerCookie(): string {
  const setCookie = sessionCookie(
    new Request('http://127.0.0.1/'),
    { sub: 'vera', kind: 'user' },
    `$2b$10$${'a'.repeat(53)}`,
  );
  return setCookie.split(';')[0] ?? '';
}

const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;

/** The snapshot frames' collectedAt in one chunk of the body, in order. */
function collectedAts(chunk: Uint8Array | undefined): string[] {
  const text = decoder.decode(chunk);
  return [...text.matchAll(/^event: snapshot\ndata: (.*)$/gm)].map(
    (m) => (JSON.parse(m[1] ?? '{}') as { collectedAt: string }).collectedAt,
  );
}

/** Reads chunks until one holds snapshot frames: their collectedAt, and how many chunks that took. */
async function nextSnapshots(reader: ReadableStreamDefaultReader<Uint8Array>) {
  for (let chunks = 1; ; chunks++) {
    const { value, done } = await reader.read();
    if (done) throw new Error('the stream ended');
    const found = collectedAts(value);
    if (found.length) return { found, chunks };
  }
}

describe('the snapshot stream of a real cluster', () => {
  it('a reader that stops for ten polls gets the newest snapshot when it reads again, not a backlog', async () => {
    const setCookie = sessionCookie(
      new Request('http://127.0.0.1/'),
      { sub: 'vera', kind: 'user' },
      `$2b$10$${'a'.repeat(53)}`,
    );
    const response = await open(setCookie.split(';')[0] ?? '');
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const poller = getPoller('s');
    if (!poller) throw new Error('no poller');
    try {
      expect((await nextSnapshots(reader)).found).toHaveLength(1);
      const from = poller.polls;
      await waitFor('ten more polls', async () => (poller.polls >= from + 10 ? true : undefined), 20_000, 20);
      const latest = poller.latest?.collectedAt ?? '';
      const next = await nextSnapshots(reader);
      // One snapshot in the first chunk, at least as new as the one cached when reading resumed (a poll may have
      // ended since): the nine before it were never queued.
      expect(next).toMatchObject({ chunks: 1, found: [expect.any(String)] });
      expect(Date.parse(next.found[0] ?? '')).toBeGreaterThanOrEqual(Date.parse(latest));
    } finally {
      await reader.cancel();
    }
  });

  it('50 viewers come and go: listeners, stream slots and timers are back where they were', async () => {
    const poller = getPoller('s');
    if (!poller) throw new Error('no poller');
    const cookie = viewerCookie();
    const before = { listeners: poller.listenerCount, jobs: jobListenerCount(), streams: streamSlots().count() };
    // Timers come and go with each poll (node deadlines): the most seen over a few polls is the baseline.
    let timersBefore = 0;
    const from = poller.polls;
    await waitFor(
      'four polls',
      async () => {
        timersBefore = Math.max(timersBefore, timers());
        return poller.polls >= from + 4 ? true : undefined;
      },
      20_000,
      10,
    );
    // Five at a time (a user holds at most six); half leave by cancelling the body, half by the request's signal.
    for (let round = 0; round < 10; round++) {
      const viewers = await Promise.all(
        Array.from({ length: 5 }, async (_, i) => {
          const abort = new AbortController();
          const response = await open(cookie, abort.signal);
          expect(response.status).toBe(200);
          const reader = response.body?.getReader();
          if (!reader) throw new Error('no body');
          await nextSnapshots(reader);
          return { leave: () => (i % 2 ? reader.cancel() : abort.abort()) };
        }),
      );
      expect(poller.listenerCount).toBe(before.listeners + 10);
      await Promise.all(viewers.map((v) => v.leave()));
    }
    await waitFor(
      'every stream to let go',
      async () => (streamSlots().count() === before.streams ? true : undefined),
      5000,
      10,
    );
    expect({ listeners: poller.listenerCount, jobs: jobListenerCount(), streams: streamSlots().count() }).toEqual(
      before,
    );
    await waitFor(
      `timers back to at most ${timersBefore}`,
      async () => (timers() <= timersBefore ? true : undefined),
      10_000,
      10,
    );
  });
});
