import 'server-only';
import type { AddNodeRequest } from '@/lib/api/schemas';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import { splitHostPort } from '@/lib/config/schema';
import type { AddNodeParams, AddNodeResult } from '@/lib/jobs/types';
import { type AddNodePlan, planAddNode, refusal } from '@/lib/plan/addNode';
import { parseClusterInfo } from '@/lib/redis/clusterInfo';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';
import { parseInfo } from '@/lib/redis/info';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { pollerOr404 } from '../clusters/poller';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import { type JobHandle, startJob } from '../jobs/registry';
import { NodeConnection } from '../redis/nodeClient';
import { refuseIfLocked } from '../store/operationLock';
import { checkTarget } from './checkTarget';
import { JobConnections } from './jobConnections';

/** How long gossip may take to spread a MEET to every member, and a replica's first sync to bring its link up. */
export const ADD_NODE_JOIN_MS = 30_000;
export const ADD_NODE_LINK_MS = 60_000;
const POLL_MS = 100;

const STEPS = {
  check: 'check the new node again',
  meet: 'CLUSTER MEET from the new node',
  known: 'every member knows it, cluster_state:ok',
  replicate: 'CLUSTER REPLICATE',
  link: 'master_link_status:up',
} as const;

export function startAddNode(
  clusterId: string,
  request: AddNodeRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  return startAddNodeOn(pollerOr404(clusterId), request, principal);
}

/**
 * The address is checked against allowedTargets and read (checkTarget: nothing but reads), the plan made; a refusal
 * is a 409 with the planner's reason, and nothing else has been sent to the node. Then the job, holding the cluster's
 * operation lock.
 */
export async function startAddNodeOn(
  poller: ClusterPoller,
  request: AddNodeRequest,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  if (!allows(principal, 'operator')) throw new ApiError('forbidden', 'adding a node needs the operator role');
  const clusterId = poller.cluster.id;
  refuseIfLocked(clusterId);
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  const facts = await checkTarget(poller, request.addr);
  const decision = planAddNode(snapshot, facts, request);
  if (!decision.ok) throw new ApiError('conflict', `refused: ${decision.reason}; nothing was sent beyond the checks`);
  const plan = decision.plan;
  const who = principalLabel(principal);
  const params: AddNodeParams = {
    addr: plan.addr,
    role: plan.role,
    nodeId: plan.nodeId,
    meetVia: plan.meetVia.addr,
    ...(plan.master ? { masterId: plan.master.id } : {}),
  };
  const job = startJob<AddNodeResult, AddNodeParams>(
    'add-node',
    clusterId,
    who.user,
    async (handle) => {
      const started = Date.now();
      const auditParams = { ...params };
      const entry = { ...who, action: 'node.add.result', cluster: clusterId, targets: [plan.addr] };
      try {
        const result = await runAddNode(poller, handle, plan);
        await audit({ ...entry, result: 'ok', status: 200, params: auditParams, durationMs: Date.now() - started });
        return result;
      } catch (err) {
        const reason = (err as Error).message;
        await audit({
          ...entry,
          result: 'failed',
          status: 500,
          params: auditParams,
          reason,
          durationMs: Date.now() - started,
        });
        throw err;
      }
    },
    params,
    { exclusive: true },
  );
  return { jobId: job.id };
}

/** Polls `probe` until it returns a value (not a string), or fails with the last reason once `ms` have passed. */
async function until<T>(handle: JobHandle<AddNodeResult>, ms: number, probe: () => Promise<T | string>): Promise<T> {
  const deadline = Date.now() + ms;
  let last = 'not asked yet';
  while (Date.now() < deadline) {
    if (handle.signal.aborted) throw new Error('cancelled');
    const out = await probe();
    if (typeof out !== 'string') return out;
    last = out;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`not within ${Math.round(ms / 1000)} s: ${last}`);
}

export async function runAddNode(
  poller: ClusterPoller,
  handle: JobHandle<AddNodeResult>,
  plan: AddNodePlan,
): Promise<AddNodeResult> {
  const started = Date.now();
  handle.plan(
    plan.role === 'master'
      ? [STEPS.check, STEPS.meet, STEPS.known]
      : [STEPS.check, STEPS.meet, STEPS.known, STEPS.replicate, STEPS.link],
  );
  const cluster = poller.cluster;
  const secrets = cluster.password ? [cluster.password] : [];
  const conns = new JobConnections(poller);
  // checkTarget has just passed this address through allowedTargets (it refuses before any packet otherwise).
  const candidate = new NodeConnection(plan.addr, cluster, 2000, { typedTarget: true });
  const ask = async (...args: string[]) => {
    await candidate.ready(cluster.connectTimeoutMs);
    return String(await candidate.call(args[0] ?? '', ...args.slice(1)));
  };
  let current: string = STEPS.check;
  try {
    handle.step(current, 'running');
    const snapshot = poller.latest;
    const facts = await checkTarget(poller, plan.addr);
    const refused = snapshot ? refusal(facts, snapshot) : 'no snapshot of this cluster';
    if (refused) throw new Error(`refused: ${refused}; nothing was sent beyond the checks`);
    if (facts.nodeId !== plan.nodeId)
      throw new Error(`${plan.addr} now has node id ${facts.nodeId}, not ${plan.nodeId}`);
    handle.step(current, 'done', 'empty, knows only itself, cluster-enabled');

    current = STEPS.meet;
    handle.step(current, 'running');
    const viaLine = (await conns.view(plan.meetVia.id))?.find((l) => l.myself);
    if (!viaLine)
      throw new Error(`${plan.meetVia.addr} did not answer CLUSTER NODES: ${conns.errorOf(plan.meetVia.id)}`);
    const { host, port } = splitHostPort(plan.meetVia.addr);
    await ask('CLUSTER', 'MEET', host, String(port), String(viaLine.busPort));
    handle.step(current, 'done', `${plan.addr} met ${plan.meetVia.addr}`);

    current = STEPS.known;
    handle.step(current, 'running');
    const members = (poller.latest?.nodes ?? []).filter((n) => n.reachable).map((n) => n.id);
    const knownBy = await until(handle, ADD_NODE_JOIN_MS, async () => {
      const views = await conns.views(members);
      const missing = members.filter((id) => {
        const line = views.get(id)?.find((l) => l.id === plan.nodeId);
        return !line || line.flags.includes('handshake') || line.flags.includes('noaddr');
      });
      if (missing.length) return `${missing.length} of ${members.length} members do not list it yet`;
      const state = parseClusterInfo(await ask('CLUSTER', 'INFO')).cluster_state;
      if (state !== 'ok') return `it reports cluster_state:${state}`;
      return members.length;
    });
    handle.step(current, 'done', `listed by all ${knownBy} reachable members, cluster_state:ok`);

    if (plan.role === 'replica' && plan.master) {
      const master = plan.master;
      current = STEPS.replicate;
      handle.step(current, 'running');
      await until(handle, ADD_NODE_JOIN_MS, async () => {
        const line = parseClusterNodes(await ask('CLUSTER', 'NODES')).find((l) => l.id === master.id);
        return line && line.role === 'master' ? true : `it does not know master ${master.addr} yet`;
      });
      await ask('CLUSTER', 'REPLICATE', master.id);
      handle.step(current, 'done', `replica of ${master.addr}`);

      current = STEPS.link;
      handle.step(current, 'running');
      await until(handle, ADD_NODE_LINK_MS, async () => {
        const status = parseInfo(await ask('INFO', 'replication')).fields.master_link_status;
        return status === 'up' ? true : `master_link_status:${status ?? 'absent'}`;
      });
      handle.step(current, 'done', `linked to ${master.addr}`);
    }
    return {
      nodeId: plan.nodeId,
      addr: plan.addr,
      role: plan.role,
      ...(plan.master ? { masterId: plan.master.id } : {}),
      knownBy,
      offerRebalance: plan.role === 'master',
      ms: Date.now() - started,
    };
  } catch (err) {
    const message = describeNodeError(err, secrets);
    handle.step(current, 'failed', message);
    throw new Error(message);
  } finally {
    candidate.close();
    conns.close();
  }
}
