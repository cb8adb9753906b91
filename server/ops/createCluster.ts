import 'server-only';
import type {
  CreateClusterParams,
  CreateClusterPlanRequest,
  CreateClusterPreview,
  CreateClusterRequest,
  CreateClusterResult,
} from '@/lib/api/createCluster';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import { splitHostPort } from '@/lib/config/schema';
import {
  type CreateRefusalContext,
  changedSincePreview,
  createNodesRefusals,
  layoutWarnings,
} from '@/lib/plan/createCheck';
import { type CreateLayoutPlan, planCreateLayout } from '@/lib/plan/createLayout';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { currentConfig } from '../collect/pollers';
import { listJobs, startJob } from '../jobs/registry';
import { refuseIfLocked } from '../store/operationLock';
import { meetIp, runCreateCluster } from './createClusterJob';
import { readCreateNodes } from './createTargets';

/** Create jobs are not about a configured cluster: they share this id for the job list and the operation lock. */
export const CREATE_CLUSTER_ID = 'new-cluster';

function layoutOf(request: CreateClusterPlanRequest): CreateLayoutPlan {
  const result = planCreateLayout({ nodes: request.nodes, replicasPerMaster: request.replicas });
  if (!result.ok) throw new ApiError('bad_request', result.refusals.map((r) => r.message).join('; '));
  return result.plan;
}

/**
 * What the preview's refusals can name: the login of the first configured cluster with a password (when the request
 * gave none), and the node ids of this dashboard's create jobs (a reload loses the page, not the cluster it made).
 */
function refusalContext(request: CreateClusterPlanRequest): CreateRefusalContext {
  const noLogin = !request.loginFrom && !request.username && !request.password;
  const clusters = currentConfig().clusters;
  const withLogin = clusters.find((c) => c.password) ?? clusters[0];
  const createdBy = listJobs(CREATE_CLUSTER_ID)
    .filter((j) => j.kind === 'create-cluster')
    .map((j) => ({
      jobId: j.id,
      at: `started ${j.startedAt.slice(0, 16).replace('T', ' ')} UTC`,
      nodeIds: Object.values((j.params as CreateClusterParams | undefined)?.nodeIds ?? {}),
    }));
  return { ...(noLogin && withLogin ? { loginHint: `same as ${withLogin.name} (${withLogin.id})` } : {}), createdBy };
}

/**
 * The layout (the planner first: a wrong list is refused before any packet), then the allow-list and the reads of
 * every node. A node that cannot be used is a 409 naming it; nothing but reads was sent.
 */
export async function previewCreateCluster(
  request: CreateClusterPlanRequest,
  principal: Principal | undefined,
): Promise<CreateClusterPreview> {
  if (!allows(principal, 'admin')) throw new ApiError('forbidden', 'creating a cluster needs the admin role');
  const layout = layoutOf(request);
  const { facts } = await readCreateNodes(request.nodes, request);
  const refusals = createNodesRefusals(facts, refusalContext(request));
  // Every node MEETs the first by IP (Redis 7.0 takes no host name): a name that does not resolve is refused now.
  await meetIp(splitHostPort(request.nodes[0] ?? '').host).catch((err: Error) => refusals.push(err.message));
  if (refusals.length)
    throw new ApiError('conflict', `refused: ${refusals.join('; ')}; nothing was sent beyond the checks`);
  const nodes = facts.map((f) => ({
    addr: f.addr,
    nodeId: f.nodeId ?? '',
    ...(f.redisVersion ? { redisVersion: f.redisVersion } : {}),
  }));
  return {
    layout,
    nodes,
    nodeIds: Object.fromEntries(nodes.map((n) => [n.addr, n.nodeId])),
    warnings: layoutWarnings(layout),
  };
}

/**
 * The same planner call on the same inputs as the preview, the same checks again (and every node's id as the preview
 * read it), then the job, holding the create lock.
 */
export async function startCreateCluster(
  request: CreateClusterRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  if (!allows(principal, 'admin')) throw new ApiError('forbidden', 'creating a cluster needs the admin role');
  refuseIfLocked(CREATE_CLUSTER_ID);
  const layout = layoutOf(request);
  const { cluster, facts } = await readCreateNodes(request.nodes, request);
  const refusals = [...createNodesRefusals(facts), ...changedSincePreview(facts, request.nodeIds)];
  if (refusals.length)
    throw new ApiError('conflict', `refused: ${refusals.join('; ')}; nothing was sent beyond the checks`);
  const who = principalLabel(principal);
  const params: CreateClusterParams = {
    nodes: request.nodes,
    replicas: request.replicas,
    nodeIds: request.nodeIds,
    ...(request.loginFrom ? { loginFrom: request.loginFrom } : {}),
    ...(request.username ? { username: request.username } : {}),
    loginTyped: request.password !== undefined,
  };
  const job = startJob<CreateClusterResult, CreateClusterParams>(
    'create-cluster',
    CREATE_CLUSTER_ID,
    who.user,
    async (handle) => {
      const started = Date.now();
      const entry = { ...who, action: 'cluster.create.result', targets: request.nodes, params: { ...params } };
      try {
        const result = await runCreateCluster(handle, { cluster, layout, nodeIds: request.nodeIds });
        await audit({ ...entry, result: 'ok', status: 200, durationMs: Date.now() - started });
        return result;
      } catch (err) {
        const reason = (err as Error).message;
        await audit({ ...entry, result: 'failed', status: 500, reason, durationMs: Date.now() - started });
        throw err;
      }
    },
    params,
    { exclusive: true },
  );
  return { jobId: job.id };
}
