import { describe, expect, it } from 'vitest';
import type { Job } from '@/lib/jobs/types';
import type { TimelineEvent } from '@/lib/timeline/diff';
import { JOBS_PENDING_MAX, StreamOutbox, sseFrame, TIMELINE_PENDING_MAX } from './streamOutbox';

const decoder = new TextDecoder();

function outbox() {
  let ended = 0;
  const box = new StreamOutbox('retry: 2000\n\n', () => ended++);
  const reader = box.body.getReader();
  const read = async () => {
    const { value, done } = await reader.read();
    return done ? undefined : decoder.decode(value);
  };
  return { box, reader, read, ended: () => ended };
}

const events = (text: string | undefined) => [...(text ?? '').matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
const event = (n: number): TimelineEvent => ({
  at: new Date(n).toISOString(),
  kind: 'node_pfail',
  severity: 'warning',
  nodeIds: [],
  message: `event ${n}`,
});
const job = (id: string, done: number): Job => ({
  id,
  kind: 'bigkeys',
  clusterId: 'c',
  startedBy: 'otto',
  state: 'running',
  startedAt: new Date(0).toISOString(),
  progress: { done, total: 100, unit: 'keys' },
  steps: [],
});

describe('StreamOutbox', () => {
  it('a reader that stops reading gets the newest snapshot when it reads again, not every one made meanwhile', async () => {
    const { box, read } = outbox();
    box.setSnapshot('snapshot', () => JSON.stringify({ poll: 0 }));
    expect(await read()).toBe(`retry: 2000\n\n${sseFrame('snapshot', { poll: 0 })}`);
    let rendered = 0;
    for (let poll = 1; poll <= 1000; poll++)
      box.setSnapshot('snapshot', () => {
        rendered++;
        return JSON.stringify({ poll });
      });
    expect(await read()).toBe(sseFrame('snapshot', { poll: 1000 }));
    // Rendered when sent, once: a stalled reader costs no serialising either.
    expect(rendered).toBe(1);
  });

  it('makes nothing ahead of a read: no snapshot is rendered until the reader asks', async () => {
    const { box, read } = outbox();
    await read();
    let rendered = 0;
    for (let poll = 0; poll < 100; poll++)
      box.setSnapshot('snapshot', () => {
        rendered++;
        return JSON.stringify({ poll });
      });
    // Whatever the stream would pull on its own has had its turn.
    await new Promise((resolve) => setImmediate(resolve));
    expect(rendered).toBe(0);
    expect(events(await read())).toEqual(['snapshot']);
    expect(rendered).toBe(1);
  });

  it('a waiting reader gets the next snapshot as soon as it comes', async () => {
    const { box, read } = outbox();
    expect(await read()).toBe('retry: 2000\n\n');
    const next = read();
    box.setSnapshot('wall', () => JSON.stringify({ poll: 1 }));
    expect(await next).toBe(sseFrame('wall', { poll: 1 }));
  });

  it('keeps the timeline events since the last read in order, and past its bound asks for a refetch', async () => {
    const { box, read } = outbox();
    await read();
    box.addTimeline([event(1), event(2)]);
    box.addTimeline([event(3)]);
    expect(await read()).toBe(sseFrame('timeline', [event(1), event(2), event(3)]));
    for (let i = 0; i <= TIMELINE_PENDING_MAX; i++) box.addTimeline([event(i)]);
    box.addTimeline([event(9999)]);
    expect(await read()).toBe(sseFrame('timeline', [event(9999)]) + sseFrame('resync', { timeline: true }));
  });

  it('sends each changed job once with its state when sent, and past its bound asks for a refetch', async () => {
    const { box, read } = outbox();
    await read();
    const a = job('a', 1);
    box.setJob(a);
    box.setJob(job('b', 5));
    a.progress.done = 50;
    box.setJob(a);
    expect(events(await read())).toEqual(['job', 'job']);
    for (let i = 0; i <= JOBS_PENDING_MAX; i++) box.setJob(job(`j${i}`, i));
    expect(await read()).toBe(sseFrame('resync', { jobs: true }));
  });

  it('a keep-alive is a comment, and only when nothing else goes out', async () => {
    const { box, read } = outbox();
    await read();
    box.keepAlive();
    expect(await read()).toBe(': keep-alive\n\n');
    box.keepAlive();
    box.setSnapshot('snapshot', () => '1');
    expect(await read()).toBe(sseFrame('snapshot', 1));
  });

  it('end drops what is pending, sends its last frame and closes; onEnd runs once', async () => {
    const { box, read, ended } = outbox();
    await read();
    box.setSnapshot('snapshot', () => '{"secret":true}');
    box.end(sseFrame('end', { reason: 'session_ended' }));
    box.end();
    box.setSnapshot('snapshot', () => '{"after":true}');
    expect(await read()).toBe(sseFrame('end', { reason: 'session_ended' }));
    expect(await read()).toBeUndefined();
    expect(ended()).toBe(1);
    expect(box.isEnded).toBe(true);
  });

  it('ends a reader that is waiting, and a client going away (cancel) ends it once too', async () => {
    const first = outbox();
    await first.read();
    const waiting = first.read();
    first.box.end();
    expect(await waiting).toBeUndefined();
    const second = outbox();
    await second.read();
    await second.reader.cancel();
    second.box.end();
    expect(second.ended()).toBe(1);
  });
});
