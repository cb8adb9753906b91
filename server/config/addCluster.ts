import 'server-only';
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import type { AddCreatedClusterRequest, AddCreatedClusterResult, CreateClusterParams } from '@/lib/api/createCluster';
import { allows, type Principal } from '@/lib/auth/access';
import { DashboardConfig, describeConfigIssues } from '@/lib/config/schema';
import { ApiError } from '../api/errors';
import { currentConfig } from '../collect/pollers';
import { getJob } from '../jobs/registry';
import { reloadConfig } from './reload';

type RawConfig = { clusters?: Array<Record<string, unknown>> } & Record<string, unknown>;

const LOGIN_FIELDS = ['username', 'password', 'passwordEnv', 'tls'] as const;

/** The new entry: id, name, the job's nodes as seeds, and the login the job used (never a typed password). */
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
    return entry;
  }
  if (params.username) entry.username = params.username;
  if (params.loginTyped) {
    if (!request.passwordEnv)
      throw new ApiError(
        'bad_request',
        'the cluster was created with a typed password, which the dashboard never writes to its config: give passwordEnv, the environment variable that holds it',
      );
    if (!process.env[request.passwordEnv])
      throw new ApiError(
        'bad_request',
        `passwordEnv: environment variable ${request.passwordEnv} is not set in the dashboard's environment`,
      );
    entry.passwordEnv = request.passwordEnv;
  }
  return entry;
}

/** JSON of the entry with its password left out, for messages. */
const shown = (entry: Record<string, unknown>) =>
  JSON.stringify({ ...entry, ...(entry.password ? { password: '(as in the cluster whose login was used)' } : {}) });

/** Temp file in the same folder, then rename over the config: a reader never sees half a file. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  const mode = (await stat(file)).mode & 0o777;
  try {
    await writeFile(temp, text, { mode, flag: 'wx' });
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/**
 * Appends the cluster a create-cluster job made to the config file (parsed, appended, written with 2-space JSON),
 * then reloads the config so it is polled at once.
 */
export async function addCreatedCluster(
  request: AddCreatedClusterRequest,
  principal: Principal | undefined,
): Promise<AddCreatedClusterResult> {
  if (!allows(principal, 'admin')) throw new ApiError('forbidden', 'changing the config needs the admin role');
  const job = getJob(request.jobId);
  if (job?.kind !== 'create-cluster') throw new ApiError('not_found', `no create-cluster job ${request.jobId}`);
  if (job.state !== 'succeeded')
    throw new ApiError('conflict', `job ${request.jobId} ${job.state}: only a created cluster is added to the config`);
  const params = job.params as CreateClusterParams;
  const file = currentConfig().path;
  const raw = JSON.parse(await readFile(file, 'utf8')) as RawConfig;
  if (!Array.isArray(raw.clusters)) throw new ApiError('conflict', `${file} has no "clusters" list to add to`);
  if (raw.clusters.some((c) => c.id === request.id))
    throw new ApiError('conflict', `the config already has a cluster "${request.id}"`);
  const entry = entryFor(request, params, raw);
  const next = { ...raw, clusters: [...raw.clusters, entry] };
  const parsed = DashboardConfig.safeParse(next);
  if (!parsed.success)
    throw new ApiError('bad_request', `the config would be invalid: ${describeConfigIssues(parsed.error).join('; ')}`);
  try {
    await writeAtomically(file, `${JSON.stringify(next, null, 2)}\n`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new ApiError(
      'conflict',
      `the config file ${file} (or its folder) is not writable (${code}): add this entry to "clusters" by hand: ${shown(entry)}`,
    );
  }
  const reload = reloadConfig('cluster added');
  return {
    id: request.id,
    configPath: file,
    reloaded: reload.applied,
    ...(reload.applied ? {} : { problems: reload.problems }),
  };
}
