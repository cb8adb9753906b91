import 'server-only';
import type { Job } from '@/lib/jobs/types';
import type { TimelineEvent } from '@/lib/timeline/diff';

/** Timeline events kept for a consumer that is not reading; past this they are dropped and it is told to refetch. */
export const TIMELINE_PENDING_MAX = 500;
/** Jobs whose latest state is kept for a consumer that is not reading; past this, the same. */
export const JOBS_PENDING_MAX = 32;

const encoder = new TextEncoder();

export function sseFrame(event: string, data: unknown): string {
  return jsonFrame(event, JSON.stringify(data));
}

/** JSON text has no raw line breaks: one data line. */
function jsonFrame(event: string, json: string): string {
  return `event: ${event}\ndata: ${json}\n\n`;
}

/** What a consumer that fell behind must fetch again: the pushed lists it missed a part of. */
export interface Resync {
  timeline?: true;
  jobs?: true;
}

/**
 * What an event stream has still to send, kept for a consumer that reads slowly or not at all: the latest snapshot only
 * (a new poll replaces the one not sent yet), the timeline events since (bounded), the latest state of each job that
 * changed (bounded). The body pulls: bytes are made only when its reader asks (Next's response waits for the socket
 * to drain before it asks again), so nothing queues behind a client that stopped reading, and what it gets when it
 * reads again is the newest state, rendered then.
 */
export class StreamOutbox {
  readonly body: ReadableStream<Uint8Array>;
  private preamble: string;
  /** The frame of the newest snapshot not sent yet, made when it is sent. */
  private snapshot: (() => string) | undefined;
  private timeline: TimelineEvent[] = [];
  private readonly jobs = new Map<string, Job>();
  private resync: Resync = {};
  private keepAliveDue = false;
  private ended = false;
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private wake: (() => void) | undefined;

  /** `onEnd` runs once, when the stream ends either way (the server ends it, or the client goes away). */
  constructor(
    preamble: string,
    private readonly onEnd: () => void,
  ) {
    this.preamble = preamble;
    this.body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          this.controller = controller;
        },
        pull: (controller) => this.pull(controller),
        cancel: () => this.finish(),
      },
      // Nothing is made ahead of a read.
      { highWaterMark: 0 },
    );
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** The newest snapshot, its JSON made when it is sent; replaces one not sent yet. */
  setSnapshot(event: string, json: () => string): void {
    this.setSnapshotFrame(() => jsonFrame(event, json()));
  }

  /** The same with the whole frame made by `frame` (a delta stream's frames carry an id). */
  setSnapshotFrame(frame: () => string): void {
    if (this.ended) return;
    this.snapshot = frame;
    this.notify();
  }

  addTimeline(events: readonly TimelineEvent[]): void {
    if (this.ended || events.length === 0) return;
    this.timeline.push(...events);
    if (this.timeline.length > TIMELINE_PENDING_MAX) {
      this.timeline = [];
      this.resync.timeline = true;
    }
    this.notify();
  }

  /** A job changed: its state when sent goes (the live object), once however often it changed meanwhile. */
  setJob(job: Job): void {
    if (this.ended) return;
    this.jobs.delete(job.id);
    this.jobs.set(job.id, job);
    if (this.jobs.size > JOBS_PENDING_MAX) {
      this.jobs.clear();
      this.resync.jobs = true;
    }
    this.notify();
  }

  /** A comment line so proxies keep the connection; skipped when anything else goes out. */
  keepAlive(): void {
    if (this.ended) return;
    this.keepAliveDue = true;
    this.notify();
  }

  /** Ends the stream now: whatever was pending is dropped, `last` (a frame) is the final thing sent. */
  end(last?: string): void {
    if (this.ended) return;
    const controller = this.controller;
    this.finish();
    try {
      if (last) controller?.enqueue(encoder.encode(last));
      controller?.close();
    } catch {
      // the client had already gone
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.snapshot = undefined;
    this.timeline = [];
    this.jobs.clear();
    this.notify();
    this.onEnd();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private pending(): boolean {
    return (
      this.preamble !== '' ||
      this.snapshot !== undefined ||
      this.timeline.length > 0 ||
      this.jobs.size > 0 ||
      this.resync.timeline === true ||
      this.resync.jobs === true ||
      this.keepAliveDue
    );
  }

  private async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    while (!this.ended && !this.pending()) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
    if (this.ended) return;
    controller.enqueue(encoder.encode(this.take()));
  }

  /** Everything pending as one chunk, in the order a poll makes it: snapshot, its timeline, jobs. */
  private take(): string {
    let out = this.preamble;
    if (this.snapshot) out += this.snapshot();
    if (this.timeline.length) out += sseFrame('timeline', this.timeline);
    for (const job of this.jobs.values()) out += sseFrame('job', job);
    if (this.resync.timeline || this.resync.jobs) out += sseFrame('resync', this.resync);
    if (out === '' && this.keepAliveDue) out = ': keep-alive\n\n';
    this.preamble = '';
    this.snapshot = undefined;
    this.timeline = [];
    this.jobs.clear();
    this.resync = {};
    this.keepAliveDue = false;
    return out;
  }
}
