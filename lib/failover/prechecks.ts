import { unreachableKind } from '../cluster/reachability';
import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { hostOf, nodeName } from '../findings/describe';
import { formatBytes } from '../format';
import { flaggedFail, flaggedPfail, lostToCluster, masterHealth, mastersUp, replicaStaleness } from './clusterView';
import { type ElectionHistory, electionWaits, nodeTimeoutMs } from './electionTiming';

export type FailoverMode = 'default' | 'force' | 'takeover';
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface PreCheck {
  name: string;
  status: CheckStatus;
  /** The measured value, as shown to the operator. */
  value: string;
  detail?: string;
  /** A check that fails only until one of Redis's own waits runs out: ms left when the plan was made. */
  waitMs?: number;
}

export interface FailoverPlan {
  replicaId: string;
  masterId: string | null;
  /** The mode the situation calls for. */
  recommendedMode: FailoverMode;
  mode: FailoverMode;
  checks: PreCheck[];
  /** False when a check fails for the chosen mode: the server refuses to start it. */
  allowed: boolean;
  /** What this mode promises and risks, in one plain sentence. */
  explanation: string;
  /** FORCE and TAKEOVER are admin-only and need the typed confirmation. */
  adminOnly: boolean;
}

export const MODE_EXPLANATION: Record<FailoverMode, string> = {
  default:
    'Default: the master pauses writers while the replica catches up to the same offset, then the replica is elected; nothing acknowledged is lost, and writers stall for up to about 5 s (the manual failover timeout, after which the master resumes on its own).',
  force:
    'FORCE: the replica does not wait for the master (use it when the cluster sees the master down); writes the master acknowledged but did not replicate are LOST; a majority of masters must still vote.',
  takeover:
    'TAKEOVER: no vote at all; the replica bumps its epoch on its own. Use it only when a majority of masters is gone: if the old master comes back, both may serve the slots (split-brain) until the epochs settle.',
};

/**
 * The failing check a start button names: one that waiting will not clear comes first (the operator must act), else
 * the wait; with how many other checks fail.
 */
export function blockingCheck(checks: PreCheck[]): { check: PreCheck; more: number } | undefined {
  const failing = checks.filter((c) => c.status === 'fail');
  const check = failing.find((c) => c.waitMs === undefined) ?? failing[0];
  return check ? { check, more: failing.length - 1 } : undefined;
}

/** The cluster's view decides: FORCE when it sees the master down, TAKEOVER when it sees no majority of masters. */
export function recommendMode(snapshot: ClusterSnapshot, replica: SnapshotNode): FailoverMode {
  const master = snapshot.nodes.find((n) => n.id === replica.masterId);
  const lost = !master || lostToCluster(snapshot, master);
  if (lost && !mastersUp(snapshot).ok) return 'takeover';
  return masterHealth(snapshot, master).down ? 'force' : 'default';
}

/** The replica to promote for a master: link up, smallest lag, on another host, not flagged nofailover. */
export function bestReplica(snapshot: ClusterSnapshot, masterId: string): SnapshotNode | undefined {
  const master = snapshot.nodes.find((n) => n.id === masterId);
  const offset = (r: SnapshotNode) => r.info?.slave_repl_offset ?? Number.NEGATIVE_INFINITY;
  const score = (r: SnapshotNode) => [
    r.reachable && r.info?.master_link_status === 'up' && !flaggedFail(r) && !flaggedPfail(r) ? 0 : 1,
    r.flags.includes('nofailover') ? 1 : 0,
    // With the master down, the most recent offset loses the fewest writes: it outranks host placement.
    ...(masterHealth(snapshot, master).down
      ? [-offset(r), master && hostOf(r) === hostOf(master) ? 1 : 0]
      : [master && hostOf(r) === hostOf(master) ? 1 : 0, -offset(r)]),
  ];
  return snapshot.nodes
    .filter((n) => n.role === 'replica' && n.masterId === masterId)
    .sort((a, b) => {
      const sa = score(a);
      const sb = score(b);
      for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return (sa[i] ?? 0) - (sb[i] ?? 0);
      return 0;
    })[0];
}

/** What the timeline knows about recent elections involving this replica and its master. */
export type PlanContext = ElectionHistory;

/** Every pre-check, each with its measured value, for promoting `replicaId` in `mode` (default: the recommended). */
export function planFailover(
  snapshot: ClusterSnapshot,
  replicaId: string,
  requested?: FailoverMode,
  context: PlanContext = {},
): FailoverPlan | string {
  const replica = snapshot.nodes.find((n) => n.id === replicaId);
  if (!replica) return `no node ${replicaId.slice(0, 8)} in this cluster`;
  if (replica.role !== 'replica')
    return `${nodeName(replica)} is a ${replica.role}, not a replica: pick one of its replicas`;
  const master = snapshot.nodes.find((n) => n.id === replica.masterId);
  const recommendedMode = recommendMode(snapshot, replica);
  const mode = requested ?? recommendedMode;
  const checks: PreCheck[] = [];
  const add = (name: string, status: CheckStatus, value: string, detail?: string) =>
    checks.push({ name, status, value, ...(detail ? { detail } : {}) });
  const health = masterHealth(snapshot, master);
  const soft = (bad: boolean, forModes: FailoverMode[]): CheckStatus =>
    bad ? (forModes.includes(mode) ? 'fail' : 'warn') : 'pass';

  add(
    'replica reachable',
    replica.reachable ? 'pass' : 'fail',
    replica.reachable ? 'yes' : (replica.error ?? 'no'),
    replica.reachable ? undefined : 'The command goes to the replica: this dashboard must reach it.',
  );
  const outside = [replica, master].filter((n): n is SnapshotNode => n?.outsideNodeNetworks === true);
  if (outside.length)
    add(
      'inside nodeNetworks',
      'fail',
      outside.map(nodeName).join(', '),
      "The dashboard does not connect to a node outside the cluster's nodeNetworks: add its network if the node is legitimate, otherwise CLUSTER FORGET it.",
    );
  add(
    'replica free of FAIL/PFAIL',
    soft(flaggedFail(replica) || flaggedPfail(replica), ['default', 'force', 'takeover']),
    replica.flags.join(',') || 'none',
  );
  add('replica link state', soft(replica.linkState !== 'connected', ['default']), replica.linkState);
  const link = replica.info?.master_link_status ?? 'unknown';
  add(
    'master_link_status',
    soft(link !== 'up', ['default']),
    link,
    link === 'up' ? undefined : 'The replica is not in sync: a default failover cannot catch it up.',
  );
  checks.push(...replicaChecks(snapshot, replica, master, mode));
  add(
    'master up (cluster view)',
    health.down ? (mode === 'default' ? 'fail' : 'warn') : health.suspected ? 'warn' : 'pass',
    master ? health.summary : 'unknown master',
    health.down
      ? mode === 'default'
        ? 'Default mode needs the master: use FORCE.'
        : undefined
      : health.suspected
        ? 'Some nodes flag the master PFAIL, but the cluster has not agreed on FAIL: it may still take writes, so default mode (which works while the replica reaches it) loses nothing and FORCE could.'
        : undefined,
  );
  const healthy = !health.down && !health.suspected;
  if (master && healthy && health.unreachableFromDashboard) {
    const hung = unreachableKind(master.error) === 'hung';
    const timeoutS = Math.round(nodeTimeoutMs(replica) / 1000);
    add(
      'master reachable from this dashboard',
      'warn',
      `no (${master.error ?? 'no reply'})`,
      hung
        ? `${nodeName(master)} accepts connections but does not reply: it looks hung (stopped, blocked or swapping), and the cluster has not flagged it yet. A DEFAULT failover needs the master to pause its writers and hand over its offset: if it is hung for the replica too, the attempt times out (about 5 s) and nothing changes. If it stays hung, the nodes flag it PFAIL, then FAIL after cluster-node-timeout (${timeoutS} s), and the cluster promotes a replica on its own.`
        : `This dashboard cannot reach ${nodeName(master)}; the cluster sees it healthy: check the path between the dashboard and the node. Default mode still works: the command goes to the replica, which reaches its master.`,
    );
  }
  if (mode !== 'default' && healthy) {
    add(
      'mode fits a healthy master',
      'warn',
      'the cluster sees the master up',
      `A DEFAULT failover would lose nothing here. ${mode === 'force' ? 'FORCE skips the catch-up: writes not yet replicated are lost.' : 'TAKEOVER skips the catch-up and the vote: writes not yet replicated are lost, and if the old master keeps serving on the other side of a partition both serve the slots (split-brain).'}`,
    );
  }
  checks.push(...clusterChecks(snapshot, replica, master, mode));
  checks.push(...electionChecks(replica, mode, context));
  if (replica.flags.includes('nofailover'))
    add('nofailover flag', 'warn', 'set', 'The replica never fails over on its own; a manual failover still works.');
  return {
    replicaId,
    masterId: master?.id ?? null,
    recommendedMode,
    mode,
    checks,
    allowed: !checks.some((c) => c.status === 'fail'),
    explanation: MODE_EXPLANATION[mode],
    adminOnly: mode !== 'default',
  };
}

/** How far behind the replica is: against its master when known, against sibling replicas, and how long cut off. */
function replicaChecks(
  snapshot: ClusterSnapshot,
  replica: SnapshotNode,
  master: SnapshotNode | undefined,
  mode: FailoverMode,
): PreCheck[] {
  const s = replicaStaleness(snapshot, replica, master, formatBytes);
  const lag = s.masterLag;
  const lagCheck: PreCheck =
    lag !== undefined
      ? {
          name: 'offset lag',
          status: lag > 1024 * 1024 ? 'warn' : 'pass',
          value: formatBytes(Math.max(0, lag)),
          ...(mode === 'default'
            ? { detail: 'Default mode waits until the replica has caught up.' }
            : lag > 0
              ? { detail: `Up to ${formatBytes(Math.max(0, lag))} of writes would be lost.` }
              : {}),
        }
      : {
          name: 'offset lag',
          // Unknown is never a pass: the dashboard cannot say how far behind the replica is.
          status: 'warn',
          value: `unknown (${master?.reachable ? 'no offset from the master' : 'the dashboard gets no reply from the master'})`,
          detail: s.linkDown
            ? "The replica's own INFO says its link is down: see staleness."
            : mode === 'default'
              ? 'Default mode waits until the replica has caught up.'
              : 'Writes the master took but did not replicate yet are lost.',
        };
  const loss =
    s.siblingGap && s.sibling
      ? `at least ${formatBytes(s.siblingGap)} (what ${nodeName(s.sibling)} has and this replica lacks)`
      : 'every write since the link went down (if the master failed at that moment, nothing more)';
  const staleness: PreCheck = {
    name: 'replica staleness',
    status: s.stale ? (mode === 'default' ? 'fail' : 'warn') : 'pass',
    value: s.summary,
    ...(s.stale
      ? {
          detail:
            mode === 'default'
              ? 'The replica is cut off or far behind: a default failover cannot catch it up.'
              : `Promoting it loses ${loss}.${s.sibling && (s.siblingGap ?? 0) > 0 ? ` Prefer ${nodeName(s.sibling)}.` : ''}`,
        }
      : {}),
  };
  return [lagCheck, staleness];
}

function clusterChecks(
  snapshot: ClusterSnapshot,
  replica: SnapshotNode,
  master: SnapshotNode | undefined,
  mode: FailoverMode,
): PreCheck[] {
  const checks: PreCheck[] = [];
  const state = String(snapshot.state.cluster_state ?? 'unknown');
  const failing = snapshot.nodes.filter((n) => n.clusterState !== undefined && n.clusterState !== 'ok');
  checks.push({
    name: 'cluster_state',
    status: state === 'ok' && failing.length === 0 ? 'pass' : 'warn',
    value: failing.length ? `${state} (${failing.length} node(s) say ${failing[0]?.clusterState})` : state,
    ...(failing.length ? { detail: `Reported by ${failing.map(nodeName).join(', ')}.` } : {}),
  });
  const m = mastersUp(snapshot);
  checks.push({
    name: 'majority of masters up',
    status: m.ok ? 'pass' : mode === 'takeover' ? 'warn' : 'fail',
    value: `${m.up} of ${m.total} in the cluster view (the dashboard reaches ${m.reachedByDashboard})`,
    ...(m.ok ? {} : { detail: 'Without a majority no election can succeed: only TAKEOVER works.' }),
  });
  const open = [replica, ...(master ? [master] : [])].flatMap((n) => [
    ...n.migrating.map((x) => x.slot),
    ...n.importing.map((x) => x.slot),
  ]);
  checks.push({
    name: 'no open slots in the shard',
    status: open.length ? 'fail' : 'pass',
    value: open.length ? `open: ${open.join(',')}` : 'none',
    ...(open.length ? { detail: 'Finish or undo the migration first.' } : {}),
  });
  checks.push({
    name: 'replica on another host than its master',
    status: master && hostOf(master) === hostOf(replica) ? 'warn' : 'pass',
    value: hostOf(replica),
  });
  const headroom =
    replica.info && master?.info && replica.info.maxmemory > 0
      ? replica.info.maxmemory - master.info.used_memory
      : undefined;
  // One host running most masters after the promotion: losing it loses the majority (no failover quorum).
  const mastersAfter = snapshot.nodes.filter(
    (n) => n.role === 'master' && n.slotCount > 0 && n.id !== master?.id && n.id !== replica.id,
  );
  const hosts = [...mastersAfter.map(hostOf), hostOf(replica)];
  const total = hosts.length;
  const busiest = [...new Set(hosts)]
    .map((host) => ({ host, count: hosts.filter((h) => h === host).length }))
    .sort((a, b) => b.count - a.count)[0];
  const crowded = busiest !== undefined && total >= 3 && busiest.count > total / 2;
  checks.push({
    name: 'no host runs most masters afterwards',
    status: crowded ? 'warn' : 'pass',
    value: busiest ? `${busiest.host}: ${busiest.count} of ${total} masters` : '–',
    ...(crowded
      ? {
          detail: `After this promotion host ${busiest.host} runs ${busiest.count} of ${total} masters: if it goes down, no majority is left to elect replacements. Prefer a replica on another host.`,
        }
      : {}),
  });
  checks.push({
    name: 'replica memory headroom',
    status: headroom !== undefined && headroom < (master?.info?.used_memory ?? 0) * 0.1 ? 'warn' : 'pass',
    value: headroom === undefined ? 'no maxmemory limit' : formatBytes(Math.max(0, headroom)),
  });
  return checks;
}

/** Redis's own waits after an election (see electionTiming); TAKEOVER holds no election and has none. */
function electionChecks(replica: SnapshotNode, mode: FailoverMode, context: PlanContext): PreCheck[] {
  if (context.sinceElectedMs === undefined && context.sinceVoteForMasterMs === undefined) return [];
  const waits = electionWaits(context, nodeTimeoutMs(replica));
  const name = 'election not held back by a recent one';
  if (waits.length === 0) return [{ name, status: 'pass', value: 'no wait' }];
  const longest = Math.max(...waits.map((w) => w.waitMs));
  if (mode === 'takeover')
    return [{ name, status: 'pass', value: waits.map((w) => w.reason).join('; '), detail: 'TAKEOVER holds no vote.' }];
  return [
    {
      name,
      status: 'fail',
      value: waits.map((w) => w.reason).join('; '),
      waitMs: longest,
      detail: `Wait ${Math.ceil(longest / 1000)} s more. ${waits.map((w) => w.detail).join(' ')}`,
    },
  ];
}
