import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { hostOf, isFailed, isPfail, nodeName } from '../findings/describe';
import { formatBytes } from '../format';

export type FailoverMode = 'default' | 'force' | 'takeover';
export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface PreCheck {
  name: string;
  status: CheckStatus;
  /** The measured value, as shown to the operator. */
  value: string;
  detail?: string;
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
    'Default: the master pauses writers while the replica catches up to the same offset, then the replica is elected; nothing acknowledged is lost, and writers stall for up to about 10 s.',
  force:
    'FORCE: the replica does not wait for the master (use it when the master is unreachable); writes the master acknowledged but did not replicate are LOST; a majority of masters must still vote.',
  takeover:
    'TAKEOVER: no vote at all; the replica bumps its epoch on its own. Use it only when a majority of masters is gone: if the old master comes back, both may serve the slots (split-brain) until the epochs settle.',
};

const masterIsDown = (master: SnapshotNode | undefined) =>
  !master || isFailed(master) || isPfail(master) || !master.reachable;

function majority(snapshot: ClusterSnapshot) {
  const masters = snapshot.nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
  const up = masters.filter((m) => m.reachable && !isFailed(m) && !isPfail(m));
  return { up: up.length, total: masters.length, ok: up.length > masters.length / 2 };
}

export function recommendMode(snapshot: ClusterSnapshot, replica: SnapshotNode): FailoverMode {
  const master = snapshot.nodes.find((n) => n.id === replica.masterId);
  if (!masterIsDown(master)) return 'default';
  return majority(snapshot).ok ? 'force' : 'takeover';
}

/** The replica to promote for a master: link up, smallest lag, on another host, not flagged nofailover. */
export function bestReplica(snapshot: ClusterSnapshot, masterId: string): SnapshotNode | undefined {
  const master = snapshot.nodes.find((n) => n.id === masterId);
  const lag = (r: SnapshotNode) =>
    (master?.info?.master_repl_offset ?? 0) - (r.info?.slave_repl_offset ?? Number.NEGATIVE_INFINITY);
  const score = (r: SnapshotNode) => [
    r.reachable && r.info?.master_link_status === 'up' && !isFailed(r) && !isPfail(r) ? 0 : 1,
    r.flags.includes('nofailover') ? 1 : 0,
    master && hostOf(r) === hostOf(master) ? 1 : 0,
    lag(r),
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

export interface PlanContext {
  /** ms since the last failover that involved this shard's nodes (from the timeline), if any is known. */
  sinceLastFailoverMs?: number;
}

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
  const masterDown = masterIsDown(master);
  const soft = (bad: boolean, forModes: FailoverMode[]): CheckStatus =>
    bad ? (forModes.includes(mode) ? 'fail' : 'warn') : 'pass';

  add('replica reachable', replica.reachable ? 'pass' : 'fail', replica.reachable ? 'yes' : (replica.error ?? 'no'));
  add(
    'replica free of FAIL/PFAIL',
    soft(isFailed(replica) || isPfail(replica), ['default', 'force', 'takeover']),
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
  const lag =
    master?.info && replica.info?.slave_repl_offset !== undefined
      ? master.info.master_repl_offset - replica.info.slave_repl_offset
      : undefined;
  add(
    'offset lag',
    lag === undefined ? (mode === 'default' ? 'warn' : 'pass') : lag > 1024 * 1024 ? 'warn' : 'pass',
    lag === undefined ? 'unknown (master not answering)' : formatBytes(Math.max(0, lag)),
    mode === 'default'
      ? 'Default mode waits until the replica has caught up.'
      : lag
        ? `Up to ${formatBytes(Math.max(0, lag))} of writes would be lost.`
        : undefined,
  );
  add(
    'master reachable and healthy',
    masterDown ? (mode === 'default' ? 'fail' : 'warn') : 'pass',
    master
      ? masterDown
        ? `${master.flags.join(',')}${master.reachable ? '' : ', unreachable'}`
        : 'yes'
      : 'unknown master',
    masterDown && mode === 'default' ? 'Default mode needs the master: use FORCE.' : undefined,
  );
  const state = String(snapshot.state.cluster_state ?? 'unknown');
  add('cluster_state', state === 'ok' ? 'pass' : 'warn', state);
  const m = majority(snapshot);
  add(
    'majority of masters reachable',
    m.ok ? 'pass' : mode === 'takeover' ? 'warn' : 'fail',
    `${m.up} of ${m.total}`,
    m.ok ? undefined : 'Without a majority no election can succeed: only TAKEOVER works.',
  );
  const open = [replica, ...(master ? [master] : [])].flatMap((n) => [
    ...n.migrating.map((x) => x.slot),
    ...n.importing.map((x) => x.slot),
  ]);
  add(
    'no open slots in the shard',
    open.length ? 'fail' : 'pass',
    open.length ? `open: ${open.join(',')}` : 'none',
    open.length ? 'Finish or undo the migration first.' : undefined,
  );
  add(
    'replica on another host than its master',
    master && hostOf(master) === hostOf(replica) ? 'warn' : 'pass',
    hostOf(replica),
  );
  const headroom =
    replica.info && master?.info && replica.info.maxmemory > 0
      ? replica.info.maxmemory - master.info.used_memory
      : undefined;
  add(
    'replica memory headroom',
    headroom !== undefined && headroom < (master?.info?.used_memory ?? 0) * 0.1 ? 'warn' : 'pass',
    headroom === undefined ? 'no maxmemory limit' : formatBytes(Math.max(0, headroom)),
  );
  const nodeTimeout = Number(replica.clusterConfig?.['cluster-node-timeout'] ?? 15_000);
  const settle = 4 * nodeTimeout;
  if (context.sinceLastFailoverMs !== undefined) {
    const recent = context.sinceLastFailoverMs < settle;
    add(
      'time since this shard last failed over',
      recent ? (mode === 'takeover' ? 'warn' : 'fail') : 'pass',
      `${Math.round(context.sinceLastFailoverMs / 1000)} s`,
      recent
        ? `Wait ${Math.ceil((settle - context.sinceLastFailoverMs) / 1000)} s more: for 4 x cluster-node-timeout after an election a replica may reuse it and be undone at once, while writers stay paused.`
        : undefined,
    );
  }
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
