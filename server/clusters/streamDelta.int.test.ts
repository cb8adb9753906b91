import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/clusters/[id]/stream/route';
import type { SnapshotResponse } from '@/lib/api/types';
import { applyDelta, type SnapshotDelta } from '@/lib/cluster/snapshotDelta';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { sessionCookie } from '../auth/session';
import { getPoller, stopPollers } from '../collect/pollers';

// The cluster page's stream (`?delta=1`) against a real 6-node cluster: the whole snapshot first, then deltas that
// rebuild exactly each poll the poller made, also for a reader that stopped reading for several polls.

const PASSWORD = 'delta-int-pw';
const POLL_MS = 250;
const HASH = `$2b$10$${'a'.repeat(53)}`;
const decoder = new TextDecoder();
let dev: DevCluster;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'delta-int-'));
  dev = await startThreeHostCluster({ password: PASSWORD });
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({
      clusters: [{ id: 'd', name: 'Delta', seeds: [dev.nodes[0]?.addr], password: PASSWORD, pollIntervalMs: POLL_MS }],
      users: [{ name: 'vera', role: 'viewer', passwordHash: HASH }],
      auditLogPath: 'audit.jsonl',
    }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  process.env.DASHBOARD_SESSION_SECRET = 'delta-int-secret-delta-int-secret-012345';
  const poller = getPoller('d');
  await waitFor('the first poll', async () => (poller?.latest?.summary.reachable === 6 ? true : undefined), 20_000);
}, 120_000);
afterAll(async () => {
  stopPollers();
  await dev?.stop();
  await rm(dir, { recursive: true, force: true });
});

interface Frame {
  event: string;
  id: number;
  data: string;
}

/** Reads whole SSE frames off the body, a chunk at a time. */
function frames(reader: ReadableStreamDefaultReader<Uint8Array>) {
  let buffer = '';
  const ready: Frame[] = [];
  return async (): Promise<Frame> => {
    for (;;) {
      const frame = ready.shift();
      if (frame) return frame;
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffer += decoder.decode(value, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const line = (name: string) => block.match(new RegExp(`^${name}: (.*)$`, 'm'))?.[1];
        const event = line('event');
        if (event === 'snapshot' || event === 'delta')
          ready.push({ event, id: Number(line('id')), data: line('data') ?? '' });
      }
    }
  };
}

/** What the stream stands for: the poll as JSON, without the per-frame age. */
const asPolled = ({ ageMs: _age, pollIntervalMs: _interval, ...rest }: SnapshotResponse) => rest;

describe('the delta stream of a real cluster', () => {
  it('rebuilds every poll exactly, and a reader that paused gets a delta to the newest poll', async () => {
    const poller = getPoller('d');
    if (!poller) throw new Error('no poller');
    // Every poll the poller made, as JSON carries it, by collectedAt.
    const polled = new Map<string, unknown>();
    const unsubscribe = poller.subscribe((snapshot: ClusterSnapshot) => {
      polled.set(snapshot.collectedAt, JSON.parse(JSON.stringify(snapshot)));
    });
    const cookie = sessionCookie(new Request('http://127.0.0.1/'), { sub: 'vera', kind: 'user' }, HASH).split(';')[0];
    const response = await GET(
      new Request('http://127.0.0.1/api/clusters/d/stream?delta=1', { headers: { cookie: cookie ?? '' } }),
      { params: Promise.resolve({ id: 'd' }) },
    );
    expect(response.status).toBe(200);
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    const next = frames(reader);
    try {
      const first = await next();
      expect(first.event).toBe('snapshot');
      let held = { snapshot: JSON.parse(first.data) as SnapshotResponse, seq: first.id };
      let deltas = 0;
      for (let i = 0; i < 12; i++) {
        let newestAtResume: string | undefined;
        if (i === 6) {
          // Stop reading for five polls: what comes next is one delta from the last frame read to the newest poll.
          const from = poller.polls;
          await waitFor('five more polls', async () => (poller.polls >= from + 5 ? true : undefined), 20_000, 20);
          newestAtResume = poller.latest?.collectedAt;
        }
        const frame = await next();
        expect(frame.id).toBe(held.seq + 1);
        if (frame.event === 'delta') {
          deltas++;
          const delta = JSON.parse(frame.data) as SnapshotDelta;
          const outcome = applyDelta(held.snapshot, held.seq, delta);
          if ('resync' in outcome) throw new Error(`frame ${frame.id}: resync`);
          held = outcome;
        } else held = { snapshot: JSON.parse(frame.data) as SnapshotResponse, seq: frame.id };
        expect(asPolled(held.snapshot)).toEqual(polled.get(held.snapshot.collectedAt));
        if (newestAtResume)
          expect(Date.parse(held.snapshot.collectedAt)).toBeGreaterThanOrEqual(Date.parse(newestAtResume));
      }
      expect(deltas).toBeGreaterThanOrEqual(11);
    } finally {
      unsubscribe();
      await reader.cancel();
    }
  });
});
