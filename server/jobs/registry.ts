import 'server-only';
import { randomBytes } from 'node:crypto';
import type { Job, JobStep } from '@/lib/jobs/types';
import { OperationConflictError } from '../api/errors';
import { database } from '../store/database';
import {
  interruptOrphanedJobs,
  JOBS_LISTED,
  listStoredJobs,
  loadJob,
  pruneJobs,
  runningJobOf,
  saveJob,
} from '../store/jobs';
import { acquireOperationLock, releaseOperationLock, settleOperationLock } from '../store/operationLock';

const KEY = Symbol.for('redis-cluster-dashboard.jobs');

/** A job this process runs: the live object its operation updates, and how to ask it to stop. */
interface Entry {
  job: Job;
  abort: AbortController;
}

// Jobs running in this process, and only those: a job leaves the map when it ends, so the map is bounded by the jobs
// allowed to run at once (one exclusive operation and one job of each onePerCluster kind per cluster). Every job,
// running or not, is in the store (bounded by pruneJobs): this only adds the live object (progress between throttled
// writes) and the cancel switch.
type Holder = { [KEY]?: Map<string, Entry> };
function running(): Map<string, Entry> {
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

/** Job listeners held now (one per open full-view stream, one for the pollers): for leak checks. */
export function jobListenerCount(): number {
  return listeners().size;
}

/** Writes the job through to the store, then tells the viewers. A store that fails costs durability, not the job. */
function changed(job: Job): void {
  try {
    saveJob(job);
  } catch (err) {
    console.error(`[jobs] could not store ${job.kind} job ${job.id}:`, err);
  }
  tell(job);
}

function tell(job: Job): void {
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

export interface StartJobOptions {
  /**
   * The job changes the cluster: it takes the cluster's operation lock before it starts (or the start throws the 409
   * naming the job that holds it), and releases it when it ends (succeeded, failed or cancelled). A job interrupted by
   * a dashboard stop keeps it while its journal may leave slots open.
   */
  exclusive?: boolean;
  /**
   * With `exclusive`: the interrupted job this one carries on (a resume or a roll back started as a job of its own).
   * Its lock passes to this job in the same transaction, so no other operation can slip in between.
   */
  continues?: string;
  /**
   * At most one running job of this kind per cluster (a big-key scan): a second start throws the 409 naming the
   * running one. A job left running by a dashboard process that has stopped does not count (it becomes interrupted).
   */
  onePerCluster?: boolean;
}

/** Throws the 409 naming the cluster's running job of this kind. */
function refuseSecond(clusterId: string, kind: string): void {
  const running = runningJobOf(clusterId, kind);
  if (!running) return;
  throw new OperationConflictError(
    `a ${kind} job is already running on this cluster (job ${running.id}, started by ${running.startedBy} at ${running.startedAt}); one at a time per cluster: wait for it or cancel it`,
    { id: running.id, kind, state: 'running', startedBy: running.startedBy, startedAt: running.startedAt },
  );
}

/**
 * Starts `run` in the background and returns the job at once. A thrown error fails it; a cancel ends it as cancelled.
 * Every change is written to the store, so the job outlives the process (found `interrupted` if it stops mid-way).
 */
export function startJob<R, P = unknown>(
  kind: string,
  clusterId: string,
  startedBy: string,
  run: (handle: JobHandle<R>) => Promise<R>,
  params?: P,
  options: StartJobOptions = {},
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
  // A lock left by a job that has ended or was interrupted is settled (and written) before a conflict can roll back;
  // then the lock and the job's first row in one transaction: no other process ever sees a lock without its job.
  if (options.exclusive) settleOperationLock(clusterId);
  if (options.onePerCluster) interruptOrphanedJobs(clusterId);
  database().transaction(() => {
    if (options.onePerCluster) refuseSecond(clusterId, kind);
    if (options.exclusive && options.continues) releaseOperationLock(clusterId, options.continues);
    if (options.exclusive) acquireOperationLock(clusterId, job);
    saveJob(job as Job);
  })();
  const abort = new AbortController();
  running().set(job.id, { job: job as Job, abort });
  try {
    pruneJobs(clusterId);
  } catch (err) {
    console.error(`[jobs] could not prune old jobs of ${clusterId}:`, err);
  }
  runInBackground(job, abort, run, options.exclusive === true);
  return job;
}

function runInBackground<R>(
  job: Job<R>,
  abort: AbortController,
  run: (handle: JobHandle<R>) => Promise<R>,
  exclusive: boolean,
): void {
  const handle = new JobHandle<R>(job, abort.signal);
  tell(job as Job);
  const end = () => {
    job.endedAt = new Date().toISOString();
    running().delete(job.id);
    try {
      database().transaction(() => {
        saveJob(job as Job);
        if (exclusive) releaseOperationLock(job.clusterId, job.id);
      })();
    } catch (err) {
      console.error(`[jobs] could not store the end of ${job.kind} job ${job.id}:`, err);
    }
    tell(job as Job);
  };
  void run(handle).then(
    (result) => {
      job.result = result;
      job.state = abort.signal.aborted ? 'cancelled' : 'succeeded';
      end();
    },
    (err: unknown) => {
      job.state = abort.signal.aborted ? 'cancelled' : 'failed';
      job.error = abort.signal.aborted ? 'cancelled by an operator' : err instanceof Error ? err.message : String(err);
      end();
    },
  );
}

/**
 * Runs a job that has ended (interrupted, or failed with work left, e.g. a reshard's open slots) again under the same
 * id: viewers keep following the one job. Undefined when there is no such job or it is running.
 */
export function rerunJob<R>(
  id: string,
  run: (handle: JobHandle<R>) => Promise<R>,
  options: { exclusive?: boolean } = {},
): Job<R> | undefined {
  if (running().has(id)) return undefined;
  const job = loadJob(id) as Job<R> | undefined;
  if (!job || job.state === 'running') return undefined;
  const abort = new AbortController();
  job.state = 'running';
  delete job.endedAt;
  delete job.error;
  delete job.result;
  // The job takes the cluster's lock again (an interrupted job with open slots still holds it: taking it again is
  // allowed), with its new state, in one transaction.
  if (options.exclusive) settleOperationLock(job.clusterId);
  database().transaction(() => {
    if (options.exclusive) acquireOperationLock(job.clusterId, job);
    saveJob(job as Job);
  })();
  running().set(job.id, { job: job as Job, abort });
  runInBackground(job, abort, run, options.exclusive === true);
  return job;
}

/** The live job when this process runs it, else as stored (across restarts). */
export function getJob(id: string): Job | undefined {
  return running().get(id)?.job ?? loadJob(id);
}

/** Newest first, from the store (across restarts); jobs this process runs as their live objects. */
export function listJobs(clusterId?: string, limit = JOBS_LISTED): Job[] {
  return listStoredJobs(clusterId, limit).map((stored) => running().get(stored.id)?.job ?? stored);
}

/** Asks a running job to stop; it stops at its next safe point. Only the process that runs a job can stop it. */
export function cancelJob(id: string): Job | undefined {
  const entry = running().get(id);
  if (entry) {
    entry.abort.abort();
    return entry.job;
  }
  return loadJob(id);
}
