import { expect, test } from '@playwright/test';
import { keyHashSlot } from '../lib/redis/crc16';
import { waitFor } from '../scripts/test/helpers';
import { kioskSessionOf, openSse, type SseFrame, type SseStream, sessionOf } from './support/sse';
import { type Stack, startStack } from './support/stack';

test.describe.configure({ mode: 'serial' });

/** Key names a big-key scan reports; a kiosk screen must never receive them. */
const KEY_PREFIX = 'kiosk-must-not-see:';
const STREAMS_PER_PRINCIPAL = 6;

let stack: Stack;
const open: SseStream[] = [];

test.beforeAll(async () => {
  stack = await startStack();
  const master = stack.dev.masters[0];
  if (!master) throw new Error('no master');
  const pipeline = stack.dev.client(master).pipeline();
  // Slots 0–5460 are the first master's: 20 keys of 20 kB, the biggest of its shard.
  for (let i = 0, written = 0; written < 20; i++) {
    const key = `${KEY_PREFIX}${i}`;
    if (keyHashSlot(key) > 5460) continue;
    pipeline.set(key, 'x'.repeat(20_000));
    written++;
  }
  await pipeline.exec();
  await stack.dev.client(master).call('WAIT', '1', '2000');
});
test.afterEach(() => {
  for (const s of open.splice(0)) s.close();
});
test.afterAll(async () => {
  await stack?.stop();
});

const streamUrl = () => `${stack.baseURL}/api/clusters/${stack.clusterId}/stream`;

async function stream(cookie: string): Promise<SseStream> {
  const s = await openSse(streamUrl(), cookie);
  open.push(s);
  return s;
}

/** Frames until `until` holds for one (included), within the deadline. */
async function readUntil(s: SseStream, until: (f: SseFrame) => boolean, timeoutMs: number): Promise<SseFrame[]> {
  const frames: SseFrame[] = [];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await s.next(deadline - Date.now());
    if (frame === 'timeout' || frame === 'ended') throw new Error(`no such frame within ${timeoutMs} ms (${frame})`);
    frames.push(frame);
    if (until(frame)) return frames;
  }
}

test('a kiosk stream carries the wall view only: no jobs, no key names, no user names; the wall still renders', async ({
  page,
}) => {
  const kiosk = await kioskSessionOf(stack.baseURL, stack.kioskToken);
  // The full view, as a user's cluster page gets it (an admin here: the next test fills the viewer's places).
  const user = await sessionOf(stack.baseURL, 'admin', stack.passwords.admin);
  const operator = await sessionOf(stack.baseURL, 'operator', stack.passwords.operator);
  const kioskStream = await stream(kiosk);
  const viewerStream = await stream(user);
  expect([kioskStream.status, viewerStream.status]).toEqual([200, 200]);
  await readUntil(kioskStream, (f) => f.event === 'wall', 5_000);

  const started = await fetch(`${stack.baseURL}/api/clusters/${stack.clusterId}/bigkeys`, {
    method: 'POST',
    headers: { cookie: operator, origin: stack.baseURL, 'content-type': 'application/json' },
    body: JSON.stringify({ top: 10 }),
  });
  expect(started.status).toBe(200);
  const { jobId } = (await started.json()) as { jobId: string };
  // A user's stream pushes the scan with its key names and who started it: what a kiosk must not get.
  const viewerFrames = await readUntil(
    viewerStream,
    (f) => f.event === 'job' && JSON.parse(f.data).id === jobId && JSON.parse(f.data).state !== 'running',
    30_000,
  );
  const ended = JSON.parse(viewerFrames.at(-1)?.data ?? '{}') as { endedAt: string; startedBy: string };
  expect(ended.startedBy).toBe('operator');
  expect(viewerFrames.some((f) => f.event === 'job' && f.data.includes(KEY_PREFIX))).toBe(true);

  // Everything the kiosk stream sent from before the scan until a poll after it ended.
  const kioskFrames = await readUntil(
    kioskStream,
    (f) => f.event === 'wall' && Date.parse(JSON.parse(f.data).collectedAt) > Date.parse(ended.endedAt),
    10_000,
  );
  expect(new Set(kioskFrames.map((f) => f.event))).toEqual(new Set(['wall']));
  const text = kioskFrames.map((f) => f.data).join('\n');
  for (const secret of [KEY_PREFIX, jobId, '"startedBy"', 'operator', '"nodes"', '"user"'])
    expect(text, secret).not.toContain(secret);
  const wall = JSON.parse(kioskFrames.at(-1)?.data ?? '{}');
  expect(Object.keys(wall).sort()).toEqual(
    [
      'ageMs',
      'clusterId',
      'clusterName',
      'collectedAt',
      'detail',
      'health',
      'masters',
      'memory',
      'nodesKnown',
      'nodesNotPolled',
      'nodesUp',
      'opsPerSec',
      'pollIntervalMs',
      'shards',
    ].filter((k) => k !== 'memory' || 'memory' in wall),
  );
  expect(wall).toMatchObject({ clusterId: stack.clusterId, nodesUp: 6, nodesKnown: 6, nodesNotPolled: 0, masters: 3 });

  // Every other route a kiosk may call gives it the same view, or nothing.
  const get = (path: string) => fetch(`${stack.baseURL}${path}`, { headers: { cookie: kiosk } });
  const cluster = `/api/clusters/${stack.clusterId}`;
  for (const query of ['', '?view=full']) {
    const snapshot = await (await get(`${cluster}/snapshot${query}`)).json();
    expect(snapshot.nodes, query).toBeUndefined();
    expect(snapshot.shards, query).toHaveLength(3);
  }
  for (const path of [`${cluster}/findings`, `${cluster}/timeline`, `/api/jobs/${jobId}`, `/api/jobs`])
    expect((await get(path)).status, path).toBe(403);

  // The wall on a kiosk screen: rendered from that view; cluster names are not links to a page it cannot open.
  await page.goto(`${stack.baseURL}/wall?kiosk=${encodeURIComponent(stack.kioskToken)}`);
  const tile = page.getByTestId('wall-tile');
  await expect(tile).toHaveAttribute('data-health', 'ok');
  await expect(tile.getByTestId('wall-nodes-up')).toHaveText('6/6');
  await expect(tile.getByTestId('wall-shard')).toHaveCount(3);
  await expect(tile.getByRole('link')).toHaveCount(0);
  await page.goto(`${stack.baseURL}/clusters/${stack.clusterId}`);
  await expect(page.getByTestId('forbidden')).toBeVisible();
});

test('past the per-user cap a stream is refused with 429 before it starts; closing one frees its place', async () => {
  const viewer = await sessionOf(stack.baseURL, 'viewer', stack.passwords.viewer);
  // Another session of the same user counts against the same cap.
  const viewerAgain = await sessionOf(stack.baseURL, 'viewer', stack.passwords.viewer);
  const streams: SseStream[] = [];
  for (let i = 0; i < STREAMS_PER_PRINCIPAL; i++) {
    const s = await stream(i % 2 ? viewerAgain : viewer);
    expect(s.status, `stream ${i + 1}`).toBe(200);
    await readUntil(s, (f) => f.event === 'snapshot', 5_000);
    streams.push(s);
  }
  const refused = await stream(viewer);
  expect(refused.status).toBe(429);
  expect(JSON.parse(refused.refusal ?? '{}')).toMatchObject({ error: { code: 'rate_limited' } });
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  // Another user is not held back by this one.
  const other = await stream(await sessionOf(stack.baseURL, 'operator', stack.passwords.operator));
  expect(other.status).toBe(200);

  streams[0]?.close();
  const reopened = await waitFor(
    'a place freed by the closed stream',
    async () => {
      const s = await stream(viewer);
      if (s.status === 200) return s;
      s.close();
      return undefined;
    },
    10_000,
    200,
  );
  expect(reopened.status).toBe(200);
});

test('HEAD requests never take a stream place, and kiosk sessions share one cap', async () => {
  const viewer = await sessionOf(stack.baseURL, 'admin', stack.passwords.admin);
  const url = `${stack.baseURL}/api/clusters/${stack.clusterId}/stream`;
  for (let i = 0; i < STREAMS_PER_PRINCIPAL + 2; i++) {
    const head = await fetch(url, { method: 'HEAD', headers: { cookie: viewer } });
    expect(head.status, `HEAD ${i + 1}`).not.toBe(200);
  }
  const s = await stream(viewer);
  expect(s.status).toBe(200);
  s.close();
  // Anyone with the kiosk token can open more kiosk sessions: together they hold at most the per-principal cap.
  const kiosks: SseStream[] = [];
  for (let i = 0; i < STREAMS_PER_PRINCIPAL; i++) {
    const k = await stream(await kioskSessionOf(stack.baseURL, stack.kioskToken));
    expect(k.status, `kiosk stream ${i + 1}`).toBe(200);
    kiosks.push(k);
  }
  const refused = await stream(await kioskSessionOf(stack.baseURL, stack.kioskToken));
  expect(refused.status).toBe(429);
  for (const k of kiosks) k.close();
});

test('logging out ends the streams that session opened within 10 s; another session of the user keeps its own', async () => {
  const leaving = await sessionOf(stack.baseURL, 'viewer', stack.passwords.viewer);
  const staying = await sessionOf(stack.baseURL, 'viewer', stack.passwords.viewer);
  const ending = await stream(leaving);
  const other = await stream(staying);
  await readUntil(ending, (f) => f.event === 'snapshot', 5_000);
  await readUntil(other, (f) => f.event === 'snapshot', 5_000);
  const loggedOut = Date.now();
  const logout = await fetch(`${stack.baseURL}/api/auth/logout`, {
    method: 'POST',
    headers: { cookie: leaving, origin: stack.baseURL },
  });
  expect(logout.status).toBe(204);
  const last = await readUntil(ending, (f) => f.event === 'end', 10_000);
  expect(JSON.parse(last.at(-1)?.data ?? '{}')).toEqual({ reason: 'session_ended' });
  expect(await ending.next(2_000)).toBe('ended');
  expect(Date.now() - loggedOut).toBeLessThan(10_000);
  // The other session's stream still flows.
  await readUntil(
    other,
    (f) => f.event === 'snapshot' && Date.parse(JSON.parse(f.data).collectedAt) > loggedOut,
    5_000,
  );
  // And the logged-out cookie cannot open a new one.
  expect((await stream(leaving)).status).toBe(401);
});
