import 'server-only';
import { openFromJournal } from '@/lib/jobs/journal';
import type { Job, JobState, OpenSlot } from '@/lib/jobs/types';
import { database, statement } from './database';
import { deleteJournal, journalFor } from './journal';
import { ownerAlive, thisProcess } from './owner';

/** Jobs kept per cluster; older ended ones (and their journals) are deleted as new ones start. */
export const JOBS_KEPT_PER_CLUSTER = 1000;

/** Ended jobs older than this (by start) are deleted as new ones start, however few a cluster has. */
export const JOBS_KEPT_DAYS = 30;

/** Jobs an API list returns unless asked for more (up to JOBS_KEPT_PER_CLUSTER). */
export const JOBS_LISTED = 100;

const ENDED: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

interface JobRow {
  body: string;
  owner: string;
  updated_at: string;
}

/** Writes the job as it is now (every change of a running job comes through here). */
export function saveJob(job: Job): void {
  statement(
    `INSERT INTO jobs (id, cluster_id, kind, state, started_at, updated_at, owner, body)
     VALUES (@id, @clusterId, @kind, @state, @startedAt, @updatedAt, @owner, @body)
     ON CONFLICT (id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at, owner = excluded.owner,
       body = excluded.body`,
  ).run({
    id: job.id,
    clusterId: job.clusterId,
    kind: job.kind,
    state: job.state,
    startedAt: job.startedAt,
    updatedAt: new Date().toISOString(),
    owner: thisProcess(),
    body: JSON.stringify(job),
  });
}

export function loadJob(id: string): Job | undefined {
  const row = statement('SELECT body FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  return row ? (JSON.parse(row.body) as Job) : undefined;
}

/** Newest first. */
export function listStoredJobs(clusterId?: string, limit = JOBS_LISTED): Job[] {
  const rows = (
    clusterId === undefined
      ? statement('SELECT body FROM jobs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit)
      : statement('SELECT body FROM jobs WHERE cluster_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(
          clusterId,
          limit,
        )
  ) as JobRow[];
  return rows.map((r) => JSON.parse(r.body) as Job);
}

/**
 * Deletes the cluster's ended jobs beyond the newest `keep`, and those started more than JOBS_KEPT_DAYS ago, with their
 * journals. Running and interrupted ones stay, however old.
 */
export function pruneJobs(clusterId: string, keep = JOBS_KEPT_PER_CLUSTER, now = Date.now()): number {
  const cutoff = new Date(now - JOBS_KEPT_DAYS * 86_400_000).toISOString();
  const old = statement(
    `SELECT id FROM jobs WHERE cluster_id = ? AND state IN (${ENDED.map(() => '?').join(', ')})
       AND (started_at < ?
         OR id NOT IN (SELECT id FROM jobs WHERE cluster_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?))`,
  )
    .all(clusterId, ...ENDED, cutoff, clusterId, keep)
    .map((r) => (r as { id: string }).id);
  if (old.length === 0) return 0;
  database().transaction(() => {
    const remove = statement('DELETE FROM jobs WHERE id = ?');
    for (const id of old) remove.run(id);
    deleteJournal(old);
  })();
  return old.length;
}

/** The cluster's running job of this kind, if any (as stored: a job of another live process counts too). */
export function runningJobOf(clusterId: string, kind: string): Job | undefined {
  const row = statement(
    "SELECT body FROM jobs WHERE cluster_id = ? AND kind = ? AND state = 'running' ORDER BY started_at LIMIT 1",
  ).get(clusterId, kind) as JobRow | undefined;
  return row ? (JSON.parse(row.body) as Job) : undefined;
}

/** The slots the job's journal leaves open (neither done nor rolled back), as last recorded. */
export function openSlotsFromJournal(jobId: string): OpenSlot[] {
  return openFromJournal(journalFor(jobId).entries(jobId)).map((e) => ({
    slot: e.slot,
    sourceId: e.sourceId,
    targetId: e.targetId,
    phase: e.phase,
  }));
}

/**
 * Jobs left `running` by a dashboard process that no longer runs become `interrupted`: ended when last heard of, with
 * a note saying so and the slots their journal leaves open. Returns them.
 */
export function interruptOrphanedJobs(clusterId?: string): Job[] {
  const rows = statement("SELECT body, owner, updated_at FROM jobs WHERE state = 'running'").all() as JobRow[];
  const interrupted: Job[] = [];
  for (const row of rows) {
    if (ownerAlive(row.owner)) continue;
    const job = JSON.parse(row.body) as Job;
    if (clusterId !== undefined && job.clusterId !== clusterId) continue;
    // Ended when last heard of: the closest known time to the stop (a dashboard down for hours did not run it for hours).
    job.state = 'interrupted';
    job.endedAt = row.updated_at;
    job.error = `the dashboard stopped while this job ran (last heard of at ${row.updated_at}, found at ${new Date().toISOString()}); it did not finish`;
    const open = openSlotsFromJournal(job.id);
    if (open.length) job.openSlots = open;
    statement('UPDATE jobs SET state = ?, body = ? WHERE id = ?').run(job.state, JSON.stringify(job), job.id);
    interrupted.push(job);
  }
  return interrupted;
}
