import 'server-only';
import type { AddNodeRequest } from '@/lib/api/schemas';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import { viewSignature } from '@/lib/cluster/viewSignature';
import { splitHostPort } from '@/lib/config/schema';
import { nodeTimeoutMs } from '@/lib/failover/electionTiming';
import type { AddNodeParams, AddNodeResult } from '@/lib/jobs/types';
import { type AddNodeInput, type AddNodePlan, planAddNode } from '@/lib/plan/addNode';
import { parseClusterInfo } from '@/lib/redis/clusterInfo';
import { type ClusterNodeLine, parseClusterNodes } from '@/lib/redis/clusterNodes';
import { parseInfo } from '@/lib/redis/info';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { pollerOr404 } from '../clusters/poller';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import { type JobHandle, startJob } from '../jobs/registry';
import { NodeConnection } from '../redis/nodeClient';
import { refuseIfLocked } from '../store/operationLock';
import { plannableSnapshot } from './addNodePlan';
import { checkTarget } from './checkTarget';
import { JobConnections } from './jobConnections';

/**
 * How long gossip may take to spread a MEET to every member (scaled with cluster-node-timeout, which paces gossip and
 * handshakes), and how long a replica's link may show no progress.
 */
export const joinWaitMs = (nodeTimeout: number) => Math.min(120_000, Math.max(10_000, 5 * nodeTimeout));
export const ADD_NODE_LINK_MS = 60_000;
const POLL_MS = 250;

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
  const snapshot = plannableSnapshot(poller);
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
        const result = await runAddNode(poller, handle, plan, request);
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

/** Polls `probe` until it returns a value (not a string), or fails with the last reason once `ms` pass with no progress. */
async function until<T>(
  handle: JobHandle<AddNodeResult>,
  ms: number,
  probe: () => Promise<T | string>,
  progressed: () => boolean = () => false,
): Promise<T> {
  let deadline = Date.now() + ms;
  let last = 'not asked yet';
  while (Date.now() < deadline) {
    if (handle.signal.aborted) throw new Error('cancelled');
    const out = await probe();
    if (typeof out !== 'string') return out;
    last = out;
    if (progressed()) deadline = Date.now() + ms;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  throw new Error(`no progress within ${Math.round(ms / 1000)} s: ${last}`);
}

const listsIt = (view: ClusterNodeLine[] | undefined, nodeId: string) =>
  view?.some((l) => l.id === nodeId && !l.flags.includes('handshake') && !l.flags.includes('noaddr')) ?? false;

export async function runAddNode(
  poller: ClusterPoller,
  handle: JobHandle<AddNodeResult>,
  plan: AddNodePlan,
  input: AddNodeInput,
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
  // checkTarget has just passed this address through allowedTargets (it refuses before any packet otherwise). One
  // connection that never reconnects: MEET must reach the very process the check read.
  const candidate = new NodeConnection(plan.addr, cluster, 2000, { typedTarget: true, reconnect: false });
  const ask = async (...args: string[]) => {
    await candidate.ready(cluster.connectTimeoutMs);
    return String(await candidate.call(args[0] ?? '', ...args.slice(1)));
  };
  const members = plan.members;
  const via = poller.latest?.nodes.find((n) => n.id === plan.meetVia.id);
  const ADD_NODE_JOIN_MS = joinWaitMs(nodeTimeoutMs(via));
  let current: string = STEPS.check;
  let met = false;
  const stopIfCancelled = () => {
    if (handle.signal.aborted) throw new Error('cancelled');
  };
  try {
    handle.step(current, 'running');
    const snapshot = poller.latest;
    if (!snapshot) throw new Error('no snapshot of this cluster');
    const facts = await checkTarget(poller, plan.addr);
    const decision = planAddNode(snapshot, facts, input);
    if (!decision.ok) throw new Error(`refused: ${decision.reason}; nothing was sent beyond the checks`);
    if (facts.nodeId !== plan.nodeId)
      throw new Error(`${plan.addr} now has node id ${facts.nodeId}, not ${plan.nodeId}; nothing was sent`);
    if (decision.plan.master?.id !== plan.master?.id || decision.plan.meetVia.id !== plan.meetVia.id)
      throw new Error('the cluster changed since the plan (its master or MEET target); nothing was sent: plan again');
    const again = await ask('CLUSTER', 'MYID');
    if (again !== plan.nodeId) throw new Error(`${plan.addr} restarted as ${again}; nothing was sent`);
    handle.step(current, 'done', 'empty, knows only itself, cluster-enabled; the cluster is healthy');

    current = STEPS.meet;
    handle.step(current, 'running');
    const viaView = await conns.view(plan.meetVia.id);
    const viaLine = viaView?.find((l) => l.myself);
    if (!viaView || !viaLine)
      throw new Error(`${plan.meetVia.addr} did not answer CLUSTER NODES: ${conns.errorOf(plan.meetVia.id)}`);
    const { host, port } = splitHostPort(plan.meetVia.addr);
    stopIfCancelled();
    met = true;
    await ask('CLUSTER', 'MEET', host, String(port), String(viaLine.busPort));
    handle.step(current, 'done', `${plan.addr} met ${plan.meetVia.addr}`);

    current = STEPS.known;
    handle.step(current, 'running');
    const reference = viewSignature(viaView);
    const knownBy = await until(handle, ADD_NODE_JOIN_MS, async () => {
      const views = await conns.views(members);
      const silent = members.filter((id) => !views.has(id));
      const missing = members.filter((id) => views.has(id) && !listsIt(views.get(id), plan.nodeId));
      if (missing.length) return `${missing.length} of ${members.length} members do not list it yet`;
      const own = parseClusterNodes(await ask('CLUSTER', 'NODES'));
      const unknown = members.filter((id) => !listsIt(own, id));
      if (unknown.length) return `it does not list ${unknown.length} member${unknown.length === 1 ? '' : 's'} yet`;
      if (viewSignature(own) !== reference) return 'it has not learned the slot map yet';
      const state = parseClusterInfo(await ask('CLUSTER', 'INFO')).cluster_state;
      if (state !== 'ok') return `it reports cluster_state:${state}`;
      if (silent.length) handle.step(current, 'running', `${silent.length} members did not answer; not counted`);
      return members.length - silent.length;
    });
    handle.step(current, 'done', `listed by ${knownBy} of ${members.length} members, same slot map, cluster_state:ok`);

    if (plan.role === 'replica' && plan.master) {
      const master = plan.master;
      current = STEPS.replicate;
      handle.step(current, 'running');
      await until(handle, ADD_NODE_JOIN_MS, async () => {
        const line = parseClusterNodes(await ask('CLUSTER', 'NODES')).find((l) => l.id === master.id);
        return line && line.role === 'master' ? true : `it does not know master ${master.addr} yet`;
      });
      stopIfCancelled();
      await ask('CLUSTER', 'REPLICATE', master.id);
      handle.step(current, 'done', `replica of ${master.addr}`);

      current = STEPS.link;
      handle.step(current, 'running');
      let read = '';
      let lastRead = '';
      await until(
        handle,
        ADD_NODE_LINK_MS,
        async () => {
          const fields = parseInfo(await ask('INFO', 'replication')).fields;
          read = `${fields.master_sync_read_bytes ?? ''}/${fields.slave_repl_offset ?? ''}`;
          const status = fields.master_link_status;
          if (status === 'up') return true;
          return fields.master_sync_in_progress === '1'
            ? `full sync in progress (${fields.master_sync_read_bytes ?? 0} bytes read)`
            : `master_link_status:${status ?? 'absent'}`;
        },
        () => {
          const moved = read !== lastRead;
          lastRead = read;
          return moved;
        },
      );
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
    const undo = met ? await undoJoin(ask, conns, members, plan) : '';
    handle.step(current, 'failed', undo ? `${message}; ${undo}` : message);
    throw new Error(undo ? `${message}; ${undo}` : message);
  } finally {
    candidate.close();
    conns.close();
  }
}

/**
 * A node met but not fully joined is taken out again: CLUSTER RESET SOFT on it (it was checked empty; a replica
 * becomes an empty master), then CLUSTER FORGET on every member that lists it, inside the 60 s ban window. What could
 * not be undone is said, with the commands to finish by hand.
 */
async function undoJoin(
  ask: (...args: string[]) => Promise<string>,
  conns: JobConnections,
  members: string[],
  plan: AddNodePlan,
): Promise<string> {
  const left: string[] = [];
  await ask('CLUSTER', 'RESET', 'SOFT').catch((err: Error) =>
    left.push(`CLUSTER RESET SOFT on ${plan.addr} failed (${err.message})`),
  );
  const views = await conns.views(members);
  const listing = members.filter((id) => views.get(id)?.some((l) => l.id === plan.nodeId));
  const forgot = await Promise.all(
    listing.map((id) =>
      conns
        .ask(id, 'CLUSTER', 'FORGET', plan.nodeId)
        .then(() => undefined)
        .catch((err: Error) => `${id.slice(0, 8)} (${err.message})`),
    ),
  );
  const failed = forgot.filter((f): f is string => f !== undefined);
  if (failed.length) left.push(`CLUSTER FORGET ${plan.nodeId} failed on ${failed.join(', ')}`);
  return left.length
    ? `undo incomplete: ${left.join('; ')} — finish by hand (CLUSTER RESET SOFT on the new node, CLUSTER FORGET on every member within 60 s)`
    : `undone: ${plan.addr} reset and forgotten by ${listing.length} member${listing.length === 1 ? '' : 's'}`;
}
