import 'server-only';
import {
  electionDeadlineMs,
  electionHistory,
  electionWaits,
  manualFailoverTimeoutMs,
  nodeTimeoutMs,
} from '@/lib/failover/electionTiming';
import type { FailoverMode } from '@/lib/failover/prechecks';
import { nodeName } from '@/lib/findings/describe';
import type { FailoverResult } from '@/lib/jobs/types';
import type { ClusterNodeLine } from '@/lib/redis/clusterNodes';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import type { JobHandle } from '../jobs/registry';
import { diagnoseNotElected } from './failoverDiagnosis';
import { verifyShard } from './failoverVerify';
import { JobConnections } from './jobConnections';

// The milestones are polled this often on the job's own connections: a few hundred small commands per failover.
const STEP_MS = 10;
/** After the election: time for every answering node to learn the new roles (gossip takes milliseconds). */
const SETTLE_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CLUSTER FAILOVER [FORCE|TAKEOVER] sent to the replica, then every milestone observed on the nodes themselves:
 * caught up (offsets equal), elected (its own view says master, with the new epoch), every answering node agrees,
 * the old master follows the new one; then the shard verified. "OK" from Redis only means scheduled.
 */
export async function runFailover(
  poller: ClusterPoller,
  handle: JobHandle<FailoverResult>,
  replicaId: string,
  mode: FailoverMode,
): Promise<FailoverResult> {
  const conns = new JobConnections(poller);
  try {
    return await failover(poller, conns, handle, replicaId, mode);
  } finally {
    conns.close();
  }
}

/** A reply from Redis is a refusal; a timeout or a lost connection leaves "did it run?" open. */
const isReplyError = (err: unknown) => err instanceof Error && err.name === 'ReplyError';

async function failover(
  poller: ClusterPoller,
  conns: JobConnections,
  handle: JobHandle<FailoverResult>,
  replicaId: string,
  mode: FailoverMode,
): Promise<FailoverResult> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  const before = poller.latest;
  const replica = before?.nodes.find((n) => n.id === replicaId);
  const oldMasterId = replica?.masterId ?? null;
  const shardSlots = before?.nodes.find((n) => n.id === oldMasterId)?.slots ?? [];
  const result: FailoverResult = { replicaId, oldMasterId, mode, timings: {}, notes: [] };
  const epochBefore = Math.max(0, ...(before?.nodes ?? []).map((n) => n.configEpoch));
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  const name = (id: string | null) => {
    const node = before?.nodes.find((n) => n.id === id);
    return node ? nodeName(node) : (id?.slice(0, 8) ?? 'unknown');
  };
  const command = mode === 'default' ? 'CLUSTER FAILOVER' : `CLUSTER FAILOVER ${mode.toUpperCase()}`;
  const catchUpStep = mode === 'default' ? 'replica caught up' : 'replica caught up (not waited for)';
  handle.plan([
    'pre-checks',
    'scheduled',
    catchUpStep,
    'elected (new epoch)',
    'every reachable node agrees',
    'old master is a replica of the new one',
    'verified',
  ]);
  handle.step('pre-checks', 'done');

  const connection = conns.get(replicaId);
  if (!connection) throw new Error('the replica is no longer a member of the cluster');
  handle.step('scheduled', 'running');
  try {
    await connection.ready(2000);
  } catch (err) {
    handle.step('scheduled', 'failed', describeNodeError(err, secrets));
    throw new Error(`${command} not sent: no connection to the replica (${describeNodeError(err, secrets)})`);
  }
  try {
    await connection.call('CLUSTER', ...(mode === 'default' ? ['FAILOVER'] : ['FAILOVER', mode.toUpperCase()]));
    result.timings.scheduledMs = elapsed();
    handle.step('scheduled', 'done', 'the replica answered OK (scheduled, nothing has happened yet)');
  } catch (err) {
    const why = describeNodeError(err, secrets);
    if (isReplyError(err)) {
      handle.step('scheduled', 'failed', why);
      throw new Error(`${command} refused by the replica: ${why}`);
    }
    // The command may have run: judge by what the replica reports (a TAKEOVER is applied on the spot).
    result.commandError = why;
    handle.step('scheduled', 'running', `no reply (${why}): watching whether it took effect`);
  }
  handle.step(catchUpStep, mode === 'default' ? 'running' : 'skipped');
  handle.step('elected (new epoch)', 'running');

  const memberIds = (before?.nodes ?? []).filter((n) => n.port > 0 && n.id !== replicaId).map((n) => n.id);
  const electionBy = started + electionDeadlineMs(replica);
  while (Date.now() < electionBy && result.timings.electedMs === undefined) {
    if (handle.signal.aborted) throw new Error('cancelled');
    const own = (await conns.view(replicaId))?.find((l) => l.myself);
    if (mode === 'default' && result.timings.caughtUpMs === undefined && oldMasterId) {
      const [masterOffset, replicaOffset] = await Promise.all([
        conns.replOffset(oldMasterId, 'master_repl_offset'),
        conns.replOffset(replicaId, 'slave_repl_offset'),
      ]);
      if (
        (masterOffset !== undefined && replicaOffset !== undefined && replicaOffset >= masterOffset) ||
        own?.role === 'master'
      ) {
        result.timings.caughtUpMs = elapsed();
        handle.step(
          catchUpStep,
          'done',
          masterOffset !== undefined ? `offset ${masterOffset}` : 'seen at the election',
        );
      }
    }
    // A real election gives a config epoch above every epoch seen before; a replica that briefly calls itself master
    // with an old epoch (reusing a recent election) is undone by the cluster within milliseconds.
    if (own?.role === 'master' && own.configEpoch > epochBefore) {
      result.timings.electedMs = elapsed();
      result.epoch = own.configEpoch;
      if (result.commandError !== undefined) {
        result.timings.scheduledMs = elapsed();
        handle.step('scheduled', 'done', `no reply (${result.commandError}), but it took effect`);
        result.notes.push(
          `${command} got no reply (${result.commandError}), but it took effect: the replica reports itself master with config epoch ${own.configEpoch}.`,
        );
      }
      handle.step('elected (new epoch)', 'done', `config epoch ${own.configEpoch} (${name(replicaId)})`);
      break;
    }
    await sleep(STEP_MS);
  }
  if (result.timings.electedMs === undefined) {
    if (result.commandError !== undefined) {
      handle.step('scheduled', 'failed', result.commandError);
      handle.step('elected (new epoch)', 'failed', 'the replica did not take over');
      throw new Error(
        `${command} got no reply from the replica (${result.commandError}) and it did not take over within ${Math.round(elapsed() / 1000)} s: check the replica, then retry.`,
      );
    }
    const why = await diagnoseNotElected(conns, {
      replicaId,
      oldMasterId,
      shardSlots,
      epochBefore,
      mode,
      caughtUp: result.timings.caughtUpMs !== undefined,
      manualFailoverTimeoutMs: manualFailoverTimeoutMs(replica),
      waits: electionWaits(electionHistory(poller.timeline(), replicaId, oldMasterId, started), nodeTimeoutMs(replica)),
      memberIds,
      name,
    });
    if (mode === 'default' && result.timings.caughtUpMs === undefined) handle.step(catchUpStep, 'failed');
    handle.step('elected (new epoch)', 'failed', why);
    throw new Error(`not elected after ${Math.round(elapsed() / 1000)} s: ${why}`);
  }

  await settle(conns, handle, { replicaId, oldMasterId, mode, memberIds, result, elapsed });

  handle.step('verified', 'running');
  const verified = await verifyShard(poller, conns, {
    replicaId,
    oldMasterId,
    shardSlots,
    mode,
    before,
    memberIds,
    freshAfter: started + (result.timings.agreedMs ?? 0),
  });
  result.notes.push(...verified.notes);
  result.verifiedOnNodes = verified.onNodes;
  if (!verified.ok) {
    handle.step('verified', 'failed', verified.summary);
    throw new Error(`the new roles are in place, but the shard did not verify within 15 s: ${verified.summary}`);
  }
  result.timings.verifiedMs = elapsed();
  handle.step('verified', 'done', verified.summary);
  return result;
}

/** Every answering node agrees on the new master, and the old master follows it (by its own view, else by others'). */
async function settle(
  conns: JobConnections,
  handle: JobHandle<FailoverResult>,
  job: {
    replicaId: string;
    oldMasterId: string | null;
    mode: FailoverMode;
    memberIds: string[];
    result: FailoverResult;
    elapsed: () => number;
  },
): Promise<void> {
  const { replicaId, oldMasterId, mode, result } = job;
  const others = job.memberIds.filter((id) => id !== oldMasterId);
  handle.step('every reachable node agrees', 'running');
  const settleBy = Date.now() + SETTLE_MS;
  let demoted = false;
  while (Date.now() < settleBy) {
    if (handle.signal.aborted) throw new Error('cancelled');
    const views = await conns.views(job.memberIds);
    if (result.timings.agreedMs === undefined) {
      const answering = [...views.values()];
      if (answering.length > 0 && answering.every((v) => v.find((l) => l.id === replicaId)?.role === 'master')) {
        result.timings.agreedMs = job.elapsed();
        handle.step('every reachable node agrees', 'done', `${answering.length + 1} nodes`);
        handle.step('old master is a replica of the new one', 'running');
      }
    }
    if (result.timings.agreedMs !== undefined) {
      const state = oldMasterState(views, others, oldMasterId, replicaId);
      handle.step('old master is a replica of the new one', 'running', state.detail);
      if (state.follows) {
        result.timings.demotedMs = job.elapsed();
        handle.step('old master is a replica of the new one', 'done', state.detail);
        demoted = true;
        break;
      }
      if (state.gone && mode !== 'default') {
        handle.step(
          'old master is a replica of the new one',
          'skipped',
          'the old master does not answer; it rejoins as a replica when it comes back',
        );
        result.notes.push('The old master is down: when it returns it becomes a replica of the new master.');
        break;
      }
    }
    await sleep(STEP_MS);
  }
  if (result.timings.agreedMs === undefined)
    throw new Error(
      'the replica was elected, but not every answering node reports it as master yet: watch CLUSTER NODES on the nodes named in the findings',
    );
  if (mode === 'default' && !demoted)
    throw new Error(
      'the replica was elected, but the old master does not report itself its replica yet: watch CLUSTER NODES on it',
    );
}

/** The old master's role: its own view when the job reaches it, else what every other answering node says of it. */
function oldMasterState(
  views: Map<string, ClusterNodeLine[]>,
  others: string[],
  oldMasterId: string | null,
  replicaId: string,
): { follows: boolean; gone: boolean; detail: string } {
  if (!oldMasterId) return { follows: false, gone: true, detail: 'no old master' };
  const own = views.get(oldMasterId)?.find((l) => l.myself);
  if (own) {
    return {
      follows: own.role === 'replica' && own.masterId === replicaId,
      gone: false,
      detail: `it reports ${own.role}${own.masterId ? ` of ${own.masterId.slice(0, 8)}` : ''}`,
    };
  }
  const seen = others.flatMap((id) => views.get(id)?.filter((l) => l.id === oldMasterId) ?? []);
  const follows = seen.length > 0 && seen.every((l) => l.role === 'replica' && l.masterId === replicaId);
  const failed = seen.some((l) => l.flags.includes('fail') || l.flags.includes('fail?'));
  return {
    follows,
    gone: seen.length === 0 || failed,
    detail: follows
      ? `this dashboard gets no reply from it; ${seen.length} other node(s) see it as a replica of the new master`
      : `no reply from it; ${failed ? 'the other nodes flag it failing' : 'the other nodes do not see it follow yet'}`,
  };
}
