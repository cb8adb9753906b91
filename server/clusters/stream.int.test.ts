import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/clusters/[id]/stream/route';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { sessionCookie } from '../auth/session';
import { getPoller, stopPollers } from '../collect/pollers';

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

function open(cookie: string) {
  const request = new Request('http://127.0.0.1/api/clusters/s/stream', { headers: { cookie } });
  return GET(request, { params: Promise.resolve({ id: 's' }) });
}

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
});
