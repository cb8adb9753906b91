import 'server-only';
import type { BgsaveRequest } from '@/lib/api/schemas';
import { allows, type Principal, principalLabel } from '@/lib/auth/access';
import { hostOf } from '@/lib/findings/describe';
import { bgsaveTargets } from '@/lib/jobs/bgsaveTargets';
import type { BgsaveNodeResult, BgsaveParams, BgsaveResult } from '@/lib/jobs/types';
import { describeSaveSeconds } from '@/lib/redis/persistence';
import { ApiError } from '../api/errors';
import { audit } from '../audit/log';
import { pollerOr404 } from '../clusters/poller';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import { type JobHandle, startJob } from '../jobs/registry';
import { type Ask, saveNode } from './bgsaveNode';
import { JobConnections } from './jobConnections';

/** How long one node's save may take by default: a large dataset on a slow disk takes minutes. */
export const BGSAVE_NODE_DEADLINE_SEC = 900;
const POLL_MS = 100;

export const bgsaveStep = (addr: string) => `BGSAVE ${addr}`;

export function startBgsave(clusterId: string, request: BgsaveRequest, principal: Principal | undefined) {
  return startBgsaveOn(pollerOr404(clusterId), request, principal);
}

/**
 * One bgsave job per cluster at a time (a second start is the 409 naming it). It does not take the operation lock: a
 * save changes no cluster state, and a backup before a reshard or a restart is the point.
 */
export function startBgsaveOn(
  poller: ClusterPoller,
  request: BgsaveRequest,
  principal: Principal | undefined,
): { jobId: string } {
  if (!allows(principal, 'operator')) throw new ApiError('forbidden', 'BGSAVE needs the operator role');
  const clusterId = poller.cluster.id;
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  const targets = bgsaveTargets(snapshot.nodes, request.scope);
  if (!targets.length) throw new ApiError('conflict', `no ${request.scope === 'all' ? 'node' : 'master'} to save`);
  const who = principalLabel(principal);
  const params: BgsaveParams = {
    scope: request.scope,
    deadlineSec: request.deadlineSec ?? BGSAVE_NODE_DEADLINE_SEC,
    nodes: targets.map((n) => ({ id: n.id, addr: n.addr, role: n.role })),
  };
  const job = startJob<BgsaveResult, BgsaveParams>(
    'bgsave',
    clusterId,
    who.user,
    async (handle) => {
      const result = await runBgsave(poller, handle, params);
      const entry = { ...who, action: 'bgsave.result', cluster: clusterId, targets: params.nodes.map((n) => n.addr) };
      const failed = result.nodes.filter((n) => !n.ok);
      const reason = failed.map((n) => `${n.addr}: ${n.error}`).join('; ');
      await audit({
        ...entry,
        result: failed.length ? 'failed' : 'ok',
        status: failed.length ? 500 : 200,
        params: { scope: params.scope, deadlineSec: params.deadlineSec, saved: result.saved, failed: result.failed },
        ...(failed.length ? { reason } : {}),
        durationMs: result.ms,
      });
      if (handle.signal.aborted) throw new Error('cancelled');
      if (failed.length) {
        // The per-node result stays on the failed job: which nodes saved, which did not and why.
        handle.job.result = result;
        throw new Error(`BGSAVE failed on ${failed.length} of ${result.nodes.length} nodes: ${reason}`);
      }
      return result;
    },
    params,
    { onePerCluster: true },
  );
  return { jobId: job.id };
}

/**
 * The nodes of one host save one after another (their forks share the host's memory: copy-on-write doubles what a
 * busy node touches), hosts in parallel. Cancel stops before the next BGSAVE and stops waiting.
 */
export async function runBgsave(
  poller: ClusterPoller,
  handle: JobHandle<BgsaveResult>,
  params: BgsaveParams,
): Promise<BgsaveResult> {
  const started = Date.now();
  const cluster = poller.cluster;
  const secrets = cluster.password ? [cluster.password] : [];
  handle.plan(params.nodes.map((n) => bgsaveStep(n.addr)));
  const conns = new JobConnections(poller);
  const byHost = new Map<string, BgsaveParams['nodes']>();
  for (const target of params.nodes) {
    const node = poller.latest?.nodes.find((n) => n.id === target.id);
    const host = node ? hostOf(node) : target.addr;
    byHost.set(host, [...(byHost.get(host) ?? []), target]);
  }
  const results = new Map<string, BgsaveNodeResult>();
  const saveOne = async (target: BgsaveParams['nodes'][number]): Promise<BgsaveNodeResult> => {
    const step = bgsaveStep(target.addr);
    const t0 = Date.now();
    handle.step(step, 'running');
    const ask: Ask = async (command, ...args) => {
      const connection = conns.get(target.id);
      if (!connection) throw new Error(`${target.addr} is not dialled (no address, or outside nodeNetworks)`);
      await connection.ready(cluster.connectTimeoutMs);
      return connection.call(command, ...args);
    };
    try {
      const out = await saveNode(ask, {
        signal: handle.signal,
        deadlineMs: params.deadlineSec * 1000,
        pollMs: POLL_MS,
        onWait: (why) => handle.step(step, 'running', why),
      });
      const result: BgsaveNodeResult = {
        nodeId: target.id,
        addr: target.addr,
        ok: true,
        ms: Date.now() - t0,
        ...(out.before.lastSaveTime !== undefined ? { lastSaveBefore: out.before.lastSaveTime } : {}),
        ...(out.after.lastSaveTime !== undefined ? { lastSaveAfter: out.after.lastSaveTime } : {}),
        ...(out.after.lastBgsaveSeconds !== undefined ? { saveSeconds: out.after.lastBgsaveSeconds } : {}),
        ...(out.forkUsec !== undefined ? { forkUsec: out.forkUsec } : {}),
      };
      const fork = out.forkUsec !== undefined ? `, fork ${(out.forkUsec / 1000).toFixed(1)} ms` : '';
      handle.step(step, 'done', `${describeSaveSeconds(result.saveSeconds)}${fork}`);
      return result;
    } catch (err) {
      const error = `${target.addr}: ${describeNodeError(err, secrets)}`;
      handle.step(step, 'failed', error);
      return { nodeId: target.id, addr: target.addr, ok: false, ms: Date.now() - t0, error };
    }
  };
  try {
    await Promise.all(
      [...byHost.values()].map(async (nodes) => {
        for (const target of nodes) {
          if (handle.signal.aborted) {
            handle.step(bgsaveStep(target.addr), 'skipped', 'cancelled before BGSAVE was sent');
            continue;
          }
          results.set(target.id, await saveOne(target));
        }
      }),
    );
  } finally {
    conns.close();
  }
  const nodes = params.nodes.flatMap((n) => results.get(n.id) ?? []);
  const saved = nodes.filter((n) => n.ok).length;
  return { nodes, saved, failed: nodes.length - saved, ms: Date.now() - started };
}
