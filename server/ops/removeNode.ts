import 'server-only';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import type { RemoveNodeParams, RemoveNodeResult } from '@/lib/jobs/types';
import { masterWithKeys, planRemoveNode, type RemoveNodeDecision, type RemoveNodePlan } from '@/lib/plan/removeNode';
import { parseInfo } from '@/lib/redis/info';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { pollerOr404 } from '../clusters/poller';
import type { ClusterPoller } from '../collect/poller';
import { type JobHandle, startJob } from '../jobs/registry';
import { refuseIfLocked } from '../store/operationLock';
import { JobConnections } from './jobConnections';
import {
  checkedForgetTargets,
  type ForgetOutcome,
  forgetAll,
  incompleteThere,
  rehome,
  resetRemoved,
  verifyForgotten,
} from './removeNodeSteps';

/** The preview: the plan the job would run, or why not (a master with slots: drainFirst). Sends nothing. */
export function previewRemoveNode(clusterId: string, nodeId: string): RemoveNodeDecision {
  return previewRemoveNodeOn(pollerOr404(clusterId), nodeId);
}

export function previewRemoveNodeOn(poller: ClusterPoller, nodeId: string): RemoveNodeDecision {
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  const decision = planRemoveNode(snapshot, nodeId);
  if (!decision.ok) return decision;
  const node = snapshot.nodes.find((n) => n.id === nodeId);
  const seed = poller.cluster.seeds.find((s) => s === node?.addr || s === node?.connectAddr);
  if (seed)
    decision.plan.notes.push(
      `${seed} is one of this cluster's configured seeds: the dashboard keeps asking it (as "not a member") until it is taken out of the config`,
    );
  return decision;
}

export function startRemoveNode(
  clusterId: string,
  nodeId: string,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  return startRemoveNodeOn(pollerOr404(clusterId), nodeId, principal);
}

/** Admin only; refused (409, nothing sent) while another operation holds the cluster or when the planner says no. */
export async function startRemoveNodeOn(
  poller: ClusterPoller,
  nodeId: string,
  principal: Principal | undefined,
): Promise<{ jobId: string }> {
  if (!allows(principal, 'admin')) throw new ApiError('forbidden', 'removing a node needs the admin role');
  const clusterId = poller.cluster.id;
  refuseIfLocked(clusterId);
  const decision = previewRemoveNodeOn(poller, nodeId);
  if (!decision.ok) {
    if (decision.reason.startsWith('no node ')) throw new ApiError('not_found', decision.reason);
    throw new ApiError('conflict', `refused: ${decision.reason}; nothing was sent`);
  }
  const plan = decision.plan;
  const who = principalLabel(principal);
  const params: RemoveNodeParams = {
    nodeId: plan.nodeId,
    addr: plan.addr,
    role: plan.role,
    rehome: plan.steps.flatMap((s) =>
      s.kind === 'rehome' ? [{ replicaId: s.replica.id, masterId: s.master.id }] : [],
    ),
  };
  const job = startJob<RemoveNodeResult, RemoveNodeParams>(
    'remove-node',
    clusterId,
    who.user,
    async (handle) => {
      const started = Date.now();
      const entry = { ...who, action: 'node.remove.result', cluster: clusterId, targets: [plan.addr || plan.nodeId] };
      try {
        const result = await runRemoveNode(poller, handle, plan);
        await audit({ ...entry, result: 'ok', status: 200, params: { ...params }, durationMs: Date.now() - started });
        return result;
      } catch (err) {
        const reason = (err as Error).message;
        const partial = err instanceof RemoveNodeFailure ? { partial: err.partial } : {};
        const failed = { result: 'failed' as const, status: 500, params: { ...params, ...partial }, reason };
        await audit({ ...entry, ...failed, durationMs: Date.now() - started });
        throw err;
      }
    },
    params,
    { exclusive: true },
  );
  return { jobId: job.id };
}

const sameRehomes = (a: RemoveNodePlan, b: RemoveNodePlan) => {
  const key = (p: RemoveNodePlan) =>
    p.steps
      .flatMap((s) => (s.kind === 'rehome' ? [`${s.replica.id}>${s.master.id}`] : []))
      .sort()
      .join(',');
  return key(a) === key(b);
};

/** A removal that failed part-way: what it had done by then, for the job's error and the audit entry. */
export class RemoveNodeFailure extends Error {
  constructor(
    message: string,
    readonly partial: RemoveNodeResult,
  ) {
    super(message);
  }
}

/** What a removal had done when it stopped, in one sentence (the job's error keeps it). */
export function doneSoFar(r: RemoveNodeResult, forgetSent: boolean): string {
  const rehomed = r.rehomed.length
    ? `re-homed ${r.rehomed.map((x) => `${x.replicaAddr} to ${x.masterAddr}`).join(', ')}`
    : 'no replica re-homed';
  const forget = forgetSent
    ? `FORGET taken by ${r.forgotBy} nodes${r.notForgotten.length ? `, not by ${r.notForgotten.map((n) => n.addr).join(', ')}` : ''}`
    : 'nothing was forgotten (no FORGET sent)';
  const reset =
    r.reset === 'done' ? 'reset done' : typeof r.reset === 'object' ? `not reset: ${r.reset.error}` : 'not reset';
  return `done so far: ${rehomed}; ${forget}; ${reset}`;
}

export async function runRemoveNode(
  poller: ClusterPoller,
  handle: JobHandle<RemoveNodeResult>,
  plan: RemoveNodePlan,
): Promise<RemoveNodeResult> {
  const started = Date.now();
  handle.plan(plan.steps.map((s) => s.name));
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  const conns = new JobConnections(poller);
  // Connections are made while the node is still in the snapshot: once forgotten, the poller drops it.
  for (const n of poller.latest?.nodes ?? []) conns.get(n.id);
  const result: RemoveNodeResult = {
    nodeId: plan.nodeId,
    addr: plan.addr,
    rehomed: [],
    forgotBy: 0,
    notForgotten: [],
    reforgotten: 0,
    reset: 'not planned',
    notes: [...plan.notes],
    ms: 0,
  };
  let current = plan.steps[0]?.name ?? '';
  let forgetSent = false;
  let outcome: ForgetOutcome | undefined;
  try {
    for (const step of plan.steps) {
      current = step.name;
      handle.step(current, 'running');
      if (step.kind === 'recheck') {
        handle.step(current, 'done', await recheck(poller, conns, plan));
      } else if (step.kind === 'rehome') {
        handle.step(current, 'done', await rehome(conns, secrets, handle.signal, step));
        result.rehomed.push({
          replicaId: step.replica.id,
          replicaAddr: step.replica.addr,
          masterId: step.master.id,
          masterAddr: step.master.addr,
        });
      } else if (step.kind === 'forget') {
        const targets = await checkedForgetTargets(conns, handle.signal, plan.nodeId, step.nodes);
        forgetSent = true;
        outcome = await forgetAll(conns, secrets, plan.nodeId, targets);
        result.forgotBy = outcome.took.length;
        result.notForgotten = outcome.refused.map((n) => ({ addr: n.addr || n.id, error: n.error }));
        const refused = outcome.refused.map((n) => `${n.addr || n.id}: ${n.error}`);
        handle.step(
          current,
          'done',
          `OK from ${outcome.took.length} of ${targets.length} (the nodes their own views list)${refused.length ? `; not from ${refused.join('; ')}: the removal is incomplete there` : ''}`,
        );
      } else if (step.kind === 'verify') {
        if (!outcome) throw new Error('verify without FORGET');
        const out = await verifyForgotten(conns, secrets, handle.signal, plan.nodeId, outcome);
        result.reforgotten = out.reforgotten;
        result.forgotBy = outcome.nodes.length - out.pending.length;
        result.notForgotten = out.pending.map((n) => ({ addr: n.addr || n.id, error: n.error }));
        for (const n of out.pending) result.notes.push(incompleteThere(n));
        const missing = result.notForgotten.map((n) => n.addr);
        result.notes.push(
          missing.length
            ? `not watched after the job: once the 60 s ban ends, ${missing.join(', ')} (which did not take the FORGET) may gossip ${plan.addr || plan.nodeId} back into the others`
            : 'every node took the FORGET; re-adding by gossip after the 60 s ban is not watched',
        );
        handle.step(
          current,
          'done',
          (missing.length
            ? `no answering node lists it; ${missing.join(', ')} did not take the FORGET: the removal is incomplete there`
            : 'no node lists it') + (out.reforgotten ? `; FORGET sent again ${out.reforgotten} times` : ''),
        );
      } else {
        const reset = await resetRemoved(conns, secrets, handle.signal, step.node.id);
        result.reset = !reset.ok ? { error: reset.error } : reset.lingering ? { error: reset.lingering } : 'done';
        if (reset.ok && reset.lingering) result.notes.push(`${plan.addr}: ${reset.lingering}`);
        if (result.reset === 'done') result.notes.push(stillRuns(plan.addr || plan.nodeId));
        handle.step(
          current,
          'done',
          reset.ok ? (reset.lingering ?? 'it knows only itself') : `not reset: ${reset.error}`,
        );
      }
    }
    return { ...result, ms: Date.now() - started };
  } catch (err) {
    const message = `${(err as Error).message}; ${doneSoFar(result, forgetSent)}`;
    handle.step(current, 'failed', message);
    throw new RemoveNodeFailure(message, { ...result, ms: Date.now() - started });
  } finally {
    conns.close();
  }
}

/** What is left on the host after a removal: the process runs on, empty and on its own, until someone acts. */
export function stillRuns(addr: string): string {
  return `The removed redis-server at ${addr} still runs, empty (reset: it knows only itself): stop it, or reuse it (Add node…, Create cluster).`;
}

/** The plan still holds (poller's snapshot), and the node's own view and DBSIZE agree: no slots, no open slot, no keys. */
async function recheck(poller: ClusterPoller, conns: JobConnections, plan: RemoveNodePlan): Promise<string> {
  const snapshot = poller.latest;
  const again = snapshot ? planRemoveNode(snapshot, plan.nodeId) : undefined;
  if (!again?.ok) throw new Error(`refused: ${again?.reason ?? 'no snapshot'}`);
  if (!sameRehomes(again.plan, plan))
    throw new Error(
      'the re-homing of its replicas changed since the preview (replicas or masters moved): preview again',
    );
  const own = (await conns.view(plan.nodeId))?.find((l) => l.myself);
  if (own && (own.slots.length > 0 || own.migrating.length > 0 || own.importing.length > 0))
    throw new Error(`refused: ${plan.addr}'s own view says it still has slots`);
  if (own?.role === 'master') {
    const keys = await keysOf(conns, plan.nodeId);
    if (keys > 0) throw new Error(`refused: ${masterWithKeys(plan.addr || plan.nodeId, keys)}`);
  }
  return own ? 'no slots in its own view' : 'it does not answer: no slots by the others';
}

/** DBSIZE; where it is not allowed (the ACL lacks +dbsize), the sum of INFO keyspace. 0 when neither answers. */
async function keysOf(conns: JobConnections, nodeId: string): Promise<number> {
  const size = await conns.ask(nodeId, 'DBSIZE');
  if (typeof size === 'number') return size;
  const text = await conns.ask(nodeId, 'INFO', 'keyspace');
  if (typeof text !== 'string') return 0;
  return Object.values(parseInfo(text).keyspace).reduce((sum, db) => sum + db.keys, 0);
}
