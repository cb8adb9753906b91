import 'server-only';
import type { FailoverMode } from '@/lib/failover/prechecks';
import { evaluateFindings } from '@/lib/findings';
import type { FailoverResult } from '@/lib/jobs/types';
import type { ClusterNodeLine } from '@/lib/redis/clusterNodes';
import { describeNodeError } from '../collect/errors';
import type { ClusterPoller } from '../collect/poller';
import type { JobHandle } from '../jobs/registry';
import { JobConnections } from './jobConnections';

// The milestones are polled this often on the job's own connections: a few hundred small commands per failover.
const STEP_MS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** How long to wait for the election: a recent winner may refuse a new manual failover for up to 4 x node-timeout. */
function deadlineMs(poller: ClusterPoller, replicaId: string): number {
  const timeout = Number(
    poller.latest?.nodes.find((n) => n.id === replicaId)?.clusterConfig?.['cluster-node-timeout'] ?? 15_000,
  );
  return Math.min(120_000, Math.max(20_000, 4 * timeout + 5000));
}

/**
 * CLUSTER FAILOVER [FORCE|TAKEOVER] sent to the replica, then every milestone observed on the nodes themselves:
 * caught up (offsets equal), elected (its own view says master, with the new epoch), every reachable node agrees,
 * the old master follows the new one; then verified on a fresh snapshot. "OK" from Redis only means scheduled.
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
  const criticalBefore = new Set(
    before
      ? evaluateFindings(before)
          .filter((f) => f.severity === 'critical')
          .map((f) => f.code)
      : [],
  );
  const result: FailoverResult = { replicaId, oldMasterId, mode, timings: {}, notes: [] };
  const epochBefore = Math.max(0, ...(before?.nodes ?? []).map((n) => n.configEpoch));
  const secrets = poller.cluster.password ? [poller.cluster.password] : [];
  handle.step('pre-checks', 'done');

  const connection = conns.get(replicaId);
  if (!connection) throw new Error('the replica is no longer a member of the cluster');
  handle.step('scheduled', 'running');
  try {
    await connection.ready(2000);
    const args = mode === 'default' ? ['FAILOVER'] : ['FAILOVER', mode.toUpperCase()];
    await connection.redis.call('CLUSTER', ...args);
  } catch (err) {
    handle.step('scheduled', 'failed', describeNodeError(err, secrets));
    throw new Error(
      `CLUSTER ${mode === 'default' ? 'FAILOVER' : `FAILOVER ${mode.toUpperCase()}`} refused by the replica: ${describeNodeError(err, secrets)}`,
    );
  }
  result.timings.scheduledMs = elapsed();
  handle.step('scheduled', 'done', 'the replica answered OK (scheduled, nothing has happened yet)');
  handle.step(
    mode === 'default' ? 'replica caught up' : 'replica caught up (not waited for)',
    mode === 'default' ? 'running' : 'skipped',
  );
  handle.step('elected (new epoch)', 'running');

  const deadline = started + deadlineMs(poller, replicaId);
  const nodeIds = (before?.nodes ?? []).filter((n) => n.addr && n.id !== replicaId).map((n) => n.id);
  while (Date.now() < deadline) {
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
          'replica caught up',
          'done',
          masterOffset !== undefined ? `offset ${masterOffset}` : 'seen at the election',
        );
      }
    }
    // A real election gives a config epoch above every epoch seen before; a replica that briefly calls itself master
    // with an old epoch (reusing a recent election) is undone by the cluster within milliseconds.
    if (own?.role === 'master' && own.configEpoch > epochBefore && result.timings.electedMs === undefined) {
      result.timings.electedMs = elapsed();
      result.epoch = own.configEpoch;
      handle.step(
        'elected (new epoch)',
        'done',
        `config epoch ${own.configEpoch} (${own.id.slice(0, 8)} at ${own.host}:${own.port})`,
      );
      handle.step('every reachable node agrees', 'running');
    }
    if (result.timings.electedMs !== undefined && result.timings.agreedMs === undefined) {
      const views = await Promise.all(nodeIds.map((id) => conns.view(id)));
      const answering = views.filter((v): v is ClusterNodeLine[] => v !== undefined);
      const agree = answering.every((v) => v.find((l) => l.id === replicaId)?.role === 'master');
      if (answering.length > 0 && agree) {
        result.timings.agreedMs = elapsed();
        handle.step('every reachable node agrees', 'done', `${answering.length + 1} nodes`);
        handle.step('old master is a replica of the new one', 'running');
      }
    }
    if (result.timings.agreedMs !== undefined) {
      const oldOwn = oldMasterId ? (await conns.view(oldMasterId))?.find((l) => l.myself) : undefined;
      handle.step(
        'old master is a replica of the new one',
        'running',
        oldOwn
          ? `it reports ${oldOwn.role}${oldOwn.masterId ? ` of ${oldOwn.masterId.slice(0, 8)}` : ''}`
          : 'no answer yet',
      );
      if (oldOwn?.role === 'replica' && oldOwn.masterId === replicaId) {
        result.timings.demotedMs = elapsed();
        handle.step('old master is a replica of the new one', 'done');
        break;
      }
      if (!oldOwn && mode !== 'default') {
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
  if (result.timings.electedMs === undefined) {
    handle.step('elected (new epoch)', 'failed', 'not elected before the deadline');
    throw new Error(
      `the replica was not elected within ${Math.round((deadline - started) / 1000)} s. A replica that won an election recently refuses a new manual failover for up to 4 x cluster-node-timeout ("Failover attempt expired" in its log), and writers stay paused meanwhile; check the replica's log, then retry, or use FORCE if the master is unreachable.`,
    );
  }
  if (result.timings.agreedMs === undefined || (mode === 'default' && result.timings.demotedMs === undefined)) {
    throw new Error(
      'the replica was elected, but not every node reports the new roles yet: watch CLUSTER NODES on the nodes named in the findings',
    );
  }

  handle.step('verified', 'running');
  const verifyBy = Date.now() + 15_000;
  while (Date.now() < verifyBy) {
    const snapshot = poller.latest;
    const fresh = snapshot && Date.parse(snapshot.collectedAt) > started + (result.timings.agreedMs ?? 0);
    const promoted = snapshot?.nodes.find((n) => n.id === replicaId);
    const ownsShard = promoted?.role === 'master' && JSON.stringify(promoted.slots) === JSON.stringify(shardSlots);
    if (fresh && snapshot.status === 'ok' && ownsShard) {
      const newCritical = evaluateFindings(snapshot).filter(
        (f) => f.severity === 'critical' && !criticalBefore.has(f.code),
      );
      const expected = newCritical.filter(
        (f) =>
          !(
            mode !== 'default' &&
            (f.code === 'node_fail' || f.code === 'slots_unserved') &&
            f.nodeIds.includes(oldMasterId ?? '')
          ),
      );
      result.notes.push(...newCritical.filter((f) => !expected.includes(f)).map((f) => f.message));
      if (expected.length === 0) {
        result.timings.verifiedMs = elapsed();
        handle.step(
          'verified',
          'done',
          "cluster_state ok, the shard's slots on the new master, no new critical finding",
        );
        return result;
      }
    }
    await sleep(200);
  }
  handle.step('verified', 'failed');
  throw new Error(
    'the new roles are in place, but the cluster did not verify (cluster_state ok, the slots on the new master, no new critical finding) within 15 s: see the findings',
  );
}
