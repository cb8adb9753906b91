import 'server-only';
import { randomBytes } from 'node:crypto';
import { open, readFile, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { AddCreatedClusterRequest, AddCreatedClusterResult, CreateClusterParams } from '@/lib/api/createCluster';
import { allows, type Principal } from '@/lib/auth/access';
import { DashboardConfig, describeConfigIssues } from '@/lib/config/schema';
import { ApiError } from '../api/errors';
import { currentConfig } from '../collect/pollers';
import { getJob } from '../jobs/registry';
import { configuredClusterOf } from '../ops/createTargets';
import { reloadConfig } from './reload';

type RawConfig = { clusters?: Array<Record<string, unknown>> } & Record<string, unknown>;

/** Copied from the cluster whose login the job used; a literal `password` never is (passwordEnv stands for it). */
const LOGIN_FIELDS = ['username', 'passwordEnv', 'tls'] as const;

/** The variable named by passwordEnv, which must be set: the dashboard never writes a literal password. */
function passwordEnvFor(request: AddCreatedClusterRequest, why: string): string {
  if (!request.passwordEnv)
    throw new ApiError(
      'bad_request',
      `${why}, which the dashboard never writes to its config: give passwordEnv, the environment variable that holds it`,
    );
  if (!process.env[request.passwordEnv])
    throw new ApiError(
      'bad_request',
      `passwordEnv: environment variable ${request.passwordEnv} is not set in the dashboard's environment`,
    );
  return request.passwordEnv;
}

/** The new entry: id, name, the job's nodes as seeds, and the login the job used (never a literal password). */
function entryFor(request: AddCreatedClusterRequest, params: CreateClusterParams, raw: RawConfig) {
  const entry: Record<string, unknown> = { id: request.id, name: request.name, seeds: params.nodes };
  if (params.loginFrom) {
    const from = raw.clusters?.find((c) => c.id === params.loginFrom);
    if (!from)
      throw new ApiError(
        'conflict',
        `cluster "${params.loginFrom}", whose login the job used, is no longer in the config`,
      );
    for (const field of LOGIN_FIELDS) if (from[field] !== undefined) entry[field] = from[field];
    if (from.password !== undefined)
      entry.passwordEnv = passwordEnvFor(
        request,
        `the job used the login of cluster "${params.loginFrom}", whose password is written in the config`,
      );
    return entry;
  }
  if (params.username) entry.username = params.username;
  if (params.loginTyped) entry.passwordEnv = passwordEnvFor(request, 'the cluster was created with a typed password');
  return entry;
}

/** Seeds a configured cluster (loaded, or in the file now) already holds, each with that cluster's id. */
function seedsTaken(seeds: readonly string[], raw: RawConfig): string[] {
  const config = currentConfig();
  return seeds.flatMap((addr) => {
    const inFile = raw.clusters?.find((c) => Array.isArray(c.seeds) && c.seeds.includes(addr));
    const id = configuredClusterOf(config, addr) ?? (inFile ? String(inFile.id) : undefined);
    return id ? [`${addr} is a node of configured cluster "${id}"`] : [];
  });
}

/** Serialises the add-to-configs of this process: two requests never both read the file and both write it. */
let queue: Promise<unknown> = Promise.resolve();
function exclusively<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

async function fsyncPath(target: string): Promise<void> {
  const handle = await open(target, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const changedMessage = (file: string) =>
  `${file} changed while the cluster was being added (another writer): nothing was written; try again`;

/**
 * Temp file in the same folder (fsynced), the file compared with the text the entry was computed from (another
 * writer is a conflict, not a lost update), rename over it, fsync of the folder: a reader never sees half a file.
 */
async function writeAtomically(file: string, text: string, read: string): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const mode = (await stat(file)).mode & 0o777;
  try {
    const handle = await open(temp, 'wx', mode);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if ((await readFile(file, 'utf8')) !== read) throw new ApiError('conflict', changedMessage(file));
    await rename(temp, file);
    await fsyncPath(path.dirname(file));
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Appends the cluster a create-cluster job made to the config file (parsed, appended, written with 2-space JSON),
 * then reloads the config so it is polled at once. One at a time in this process.
 */
export function addCreatedCluster(
  request: AddCreatedClusterRequest,
  principal: Principal | undefined,
): Promise<AddCreatedClusterResult> {
  if (!allows(principal, 'admin'))
    return Promise.reject(new ApiError('forbidden', 'changing the config needs the admin role'));
  return exclusively(() => addLocked(request));
}

async function addLocked(request: AddCreatedClusterRequest): Promise<AddCreatedClusterResult> {
  const job = getJob(request.jobId);
  if (job?.kind !== 'create-cluster') throw new ApiError('not_found', `no create-cluster job ${request.jobId}`);
  if (job.state !== 'succeeded')
    throw new ApiError('conflict', `job ${request.jobId} ${job.state}: only a created cluster is added to the config`);
  const params = job.params as CreateClusterParams;
  // The file a symlinked config points at: the rename replaces that file, and the link stays a link.
  const configPath = currentConfig().path;
  const file = await realpath(configPath);
  const read = await readFile(file, 'utf8');
  const raw = JSON.parse(read) as RawConfig;
  if (!Array.isArray(raw.clusters)) throw new ApiError('conflict', `${file} has no "clusters" list to add to`);
  if (raw.clusters.some((c) => c.id === request.id))
    throw new ApiError('conflict', `the config already has a cluster "${request.id}"`);
  const taken = seedsTaken(params.nodes, raw);
  if (taken.length) throw new ApiError('conflict', `${taken.join('; ')}: it is configured already`);
  const entry = entryFor(request, params, raw);
  const next = { ...raw, clusters: [...raw.clusters, entry] };
  const parsed = DashboardConfig.safeParse(next);
  if (!parsed.success)
    throw new ApiError('bad_request', `the config would be invalid: ${describeConfigIssues(parsed.error).join('; ')}`);
  try {
    await writeAtomically(file, `${JSON.stringify(next, null, 2)}\n`, read);
  } catch (err) {
    if (err instanceof ApiError) throw err;
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ApiError(
      'conflict',
      `the config file ${file} (or its folder) is not writable (${code}): add this entry to "clusters" by hand: ${JSON.stringify(entry)}`,
    );
  }
  const reload = reloadConfig('cluster added');
  return {
    id: request.id,
    configPath,
    reloaded: reload.applied,
    ...(reload.applied ? {} : { problems: reload.problems }),
  };
}
