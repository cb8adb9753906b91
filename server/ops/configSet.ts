import 'server-only';
import type { ConfigSetRequest } from '@/lib/api/schemas';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import type { ConfigSetParams, ConfigSetResult } from '@/lib/jobs/types';
import { type ConfigSetPlan, type ConfigSetPlanRow, planConfigSet, refusedParam } from '@/lib/nodeConfig/setPlan';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { startJob } from '../jobs/registry';
import type { NodeConnection } from '../redis/nodeClient';
import { refuseIfLocked } from '../store/operationLock';
import { runConfigSet } from './configSetRun';
import { configNodes, readNodeConfig } from './nodeConfigRead';

const READ_TIMEOUT_MS = 2000;

/**
 * Each node's current value of each parameter (one CONFIG GET per name: Redis before 7 takes one pattern), over
 * `connectionOf`; the plan old -> new, or why nothing will be sent.
 */
export async function readConfigSetPlan(
  poller: ClusterPoller,
  params: Readonly<Record<string, string>>,
  connectionOf: (nodeId: string) => NodeConnection | undefined,
): Promise<ConfigSetPlan> {
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  const names = Object.keys(params);
  const refused = names.map((n) => [n, refusedParam(n)] as const).find(([, reason]) => reason);
  if (refused) return { ok: false, reason: `${refused[0]} is not set on every node: ${refused[1]}` };
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  const targets = await Promise.all(
    configNodes(snapshot.nodes).map(async (node) => {
      const old: Record<string, string> = {};
      for (const name of names) {
        const read = await readNodeConfig(node, connectionOf(node.id), [name], READ_TIMEOUT_MS, secrets);
        if (!read.values) return read;
        const value = read.values[name] ?? Object.values(read.values)[0];
        if (value !== undefined) old[name] = value;
      }
      return { id: node.id, addr: node.addr, role: node.role, old };
    }),
  );
  return planConfigSet(targets, params);
}

/** GET …/config/set/plan: the preview, read on the poller's connections. */
export function configSetPreview(clusterId: string, names: string[]): Promise<ConfigSetPlan> {
  const poller = pollerOr404(clusterId);
  const params = Object.fromEntries(names.map((n) => [n, '']));
  return readConfigSetPlan(poller, params, (id) => poller.member(id)?.connection).then((plan) =>
    plan.ok ? { ok: true, rows: plan.rows.map(withoutNew) } : plan,
  );
}

function withoutNew(row: ConfigSetPlanRow): ConfigSetPlanRow {
  return { ...row, changes: row.changes.map((c) => ({ ...c, new: '' })) };
}

export function startConfigSet(
  clusterId: string,
  request: ConfigSetRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  if (!allows(principal, 'admin')) throw new ApiError('forbidden', 'setting config on every node needs the admin role');
  return startConfigSetOn(pollerOr404(clusterId), request, principalLabel(principal));
}

/**
 * Refused (409, nothing sent) while another operation holds the cluster, or when the plan is refused: a parameter
 * that may not be set everywhere, a node that cannot be read or does not know the parameter. Then the job, exclusive.
 */
export async function startConfigSetOn(
  poller: ClusterPoller,
  request: Pick<ConfigSetRequest, 'params' | 'rewrite'>,
  who: { user: string; role: string },
): Promise<{ jobId: string }> {
  const clusterId = poller.cluster.id;
  refuseIfLocked(clusterId);
  if (!poller.latest) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  const plan = await readConfigSetPlan(poller, request.params, (id) => poller.member(id)?.connection);
  if (!plan.ok) throw new ApiError('conflict', `refused: ${plan.reason}; nothing was set`);
  const params: ConfigSetParams = { params: request.params, rewrite: request.rewrite };
  const job = startJob<ConfigSetResult, ConfigSetParams>(
    'config-set',
    clusterId,
    who.user,
    async (handle) => {
      const started = Date.now();
      const entry = {
        ...who,
        action: 'config.set.result',
        cluster: clusterId,
        targets: plan.rows.map((r) => r.addr),
        params: { ...params },
      };
      try {
        const result = await runConfigSet(poller, handle, plan.rows, request.rewrite);
        await audit({ ...entry, result: 'ok', status: 200, durationMs: Date.now() - started });
        return result;
      } catch (err) {
        const reason = (err as Error).message;
        await audit({ ...entry, result: 'failed', status: 500, reason, durationMs: Date.now() - started });
        throw err;
      } finally {
        poller.refreshConfig();
      }
    },
    params,
    { exclusive: true },
  );
  return { jobId: job.id };
}
