import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Job, JobStep } from '@/lib/jobs/types';

const KEEP = 100;
const KEY = Symbol.for('redis-cluster-dashboard.jobs');

interface Entry {
  job: Job;
  abort: AbortController;
}

type Holder = { [KEY]?: Map<string, Entry> };
function jobs(): Map<string, Entry> {
  const holder = globalThis as Holder;
  holder[KEY] ??= new Map();
  return holder[KEY];
}

export type JobListener = (job: Job) => void;
const LISTENERS = Symbol.for('redis-cluster-dashboard.job-listeners');
type ListenerHolder = { [LISTENERS]?: Set<JobListener> };
function listeners(): Set<JobListener> {
  const holder = globalThis as ListenerHolder;
  holder[LISTENERS] ??= new Set();
  return holder[LISTENERS];
}

/** Told of every change of every job (the stream pushes them to browsers). */
export function onJobChange(listener: JobListener): () => void {
  listeners().add(listener);
  return () => listeners().delete(listener);
}

function changed(job: Job): void {
  for (const listener of listeners()) {
    try {
      listener(job);
    } catch {
      // a broken viewer never breaks the job
    }
  }
}

/** A handle the running operation updates; every viewer reads the same job by id. */
export class JobHandle<R> {
  constructor(
    readonly job: Job<R>,
    readonly signal: AbortSignal,
  ) {}

  /**
   * Declares every step the job means to take, in order, as `pending`: viewers see the whole plan from the start.
   * Progress then counts finished steps, unless the job reports its own units.
   */
  plan(names: string[]): void {
    const at = new Date().toISOString();
    for (const name of names) {
      if (!this.job.steps.some((s) => s.name === name)) this.job.steps.push({ name, state: 'pending', at });
    }
    this.job.progress = { done: this.finishedSteps(), total: this.job.steps.length, unit: 'steps' };
    changed(this.job as Job);
  }

  step(name: string, state: JobStep['state'], detail?: string): void {
    const now = Date.now();
    const at = new Date(now).toISOString();
    const elapsedMs = Math.max(0, now - Date.parse(this.job.startedAt));
    let step = this.job.steps.find((s) => s.name === name);
    if (!step) {
      step = { name, state, at };
      this.job.steps.push(step);
    }
    Object.assign(step, { state, at, elapsedMs, ...(detail ? { detail } : {}) });
    if (state === 'running') step.startedAt ??= at;
    if ((state === 'done' || state === 'failed') && step.startedAt !== undefined)
      step.durationMs = Math.max(0, now - Date.parse(step.startedAt));
    if (this.job.progress.unit === 'steps')
      this.job.progress = { done: this.finishedSteps(), total: this.job.steps.length, unit: 'steps' };
    changed(this.job as Job);
  }

  private finishedSteps(): number {
    return this.job.steps.filter((s) => s.state === 'done' || s.state === 'skipped').length;
  }

  private lastProgressPush = 0;

  /** Progress is pushed to viewers at most 4 times a second; steps and the end are pushed at once. */
  progress(done: number, total: number, unit: string): void {
    this.job.progress = { done, total, unit };
    const now = Date.now();
    if (now - this.lastProgressPush >= 250) {
      this.lastProgressPush = now;
      changed(this.job as Job);
    }
  }
}

/** Starts `run` in the background and returns the job at once. A thrown error fails it; a cancel ends it as cancelled. */
export function startJob<R, P = unknown>(
  kind: string,
  clusterId: string,
  startedBy: string,
  run: (handle: JobHandle<R>) => Promise<R>,
  params?: P,
): Job<R, P> {
  const job: Job<R, P> = {
    id: randomBytes(8).toString('hex'),
    kind,
    clusterId,
    startedBy,
    state: 'running',
    startedAt: new Date().toISOString(),
    progress: { done: 0, total: 0, unit: '' },
    steps: [],
    ...(params !== undefined ? { params } : {}),
  };
  const abort = new AbortController();
  const all = jobs();
  all.set(job.id, { job: job as Job, abort });
  for (const [id, entry] of all) {
    if (all.size <= KEEP) break;
    if (entry.job.state !== 'running') all.delete(id);
  }
  runInBackground(job, abort, run);
  return job;
}

function runInBackground<R>(job: Job<R>, abort: AbortController, run: (handle: JobHandle<R>) => Promise<R>): void {
  const handle = new JobHandle<R>(job, abort.signal);
  changed(job as Job);
  void run(handle).then(
    (result) => {
      job.result = result;
      job.state = abort.signal.aborted ? 'cancelled' : 'succeeded';
      job.endedAt = new Date().toISOString();
      changed(job as Job);
    },
    (err: unknown) => {
      job.state = abort.signal.aborted ? 'cancelled' : 'failed';
      job.error = abort.signal.aborted ? 'cancelled by an operator' : err instanceof Error ? err.message : String(err);
      job.endedAt = new Date().toISOString();
      changed(job as Job);
    },
  );
}

/**
 * Runs a job that has ended (interrupted, or failed with work left, e.g. a reshard's open slots) again under the same
 * id: viewers keep following the one job. Undefined when there is no such job or it is running.
 */
export function rerunJob<R>(id: string, run: (handle: JobHandle<R>) => Promise<R>): Job<R> | undefined {
  const entry = jobs().get(id);
  if (!entry || entry.job.state === 'running') return undefined;
  const job = entry.job as Job<R>;
  entry.abort = new AbortController();
  job.state = 'running';
  delete job.endedAt;
  delete job.error;
  delete job.result;
  runInBackground(job, entry.abort, run);
  return job;
}

export function getJob(id: string): Job | undefined {
  return jobs().get(id)?.job;
}

export function listJobs(clusterId?: string): Job[] {
  return [...jobs().values()]
    .map((e) => e.job)
    .filter((j) => !clusterId || j.clusterId === clusterId)
    .reverse();
}

/** Asks a running job to stop; it stops at its next safe point. */
export function cancelJob(id: string): Job | undefined {
  const entry = jobs().get(id);
  if (entry?.job.state === 'running') entry.abort.abort();
  return entry?.job;
}
