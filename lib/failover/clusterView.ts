import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { nodeName } from '../findings/describe';

// The dashboard is one more observer: "down" is what the nodes say (FAIL, agreed by a majority of masters), never
// only that the dashboard got no reply. `reachable` is reported beside it, not instead of it.

export const failReporters = (node: SnapshotNode): string[] => node.failSeenBy ?? [];
export const pfailReporters = (node: SnapshotNode): string[] => node.pfailSeenBy ?? [];
export const flaggedFail = (node: SnapshotNode): boolean =>
  node.flags.includes('fail') || failReporters(node).length > 0;
export const flaggedPfail = (node: SnapshotNode): boolean =>
  node.flags.includes('fail?') || pfailReporters(node).length > 0;

export type ReplicaEvidence = 'down' | 'up' | 'unknown';

/** What one replica says about its master: its own master_link_status, or its own view flagging the master. */
export function replicaEvidence(master: SnapshotNode, replica: SnapshotNode): ReplicaEvidence {
  if (failReporters(master).includes(replica.id) || pfailReporters(master).includes(replica.id)) return 'down';
  const link = replica.reachable ? replica.info?.master_link_status : undefined;
  if (link === undefined) return 'unknown';
  return link === 'up' ? 'up' : 'down';
}

export interface MasterHealth {
  /** The cluster says so: FAIL (set only once a majority of masters agreed). */
  down: boolean;
  /** Some nodes flag PFAIL: the cluster has not decided yet. */
  suspected: boolean;
  /** The dashboard got no reply from it in the last poll (its own reach, not the cluster's view). */
  unreachableFromDashboard: boolean;
  /** One line for the operator: how the cluster sees it. */
  summary: string;
}

export function masterHealth(snapshot: ClusterSnapshot, master: SnapshotNode | undefined): MasterHealth {
  if (!master)
    return {
      down: true,
      suspected: false,
      unreachableFromDashboard: true,
      summary: 'unknown master (not in the views)',
    };
  const unreachableFromDashboard = !master.reachable;
  const seen = (ids: string[]) => (ids.length ? ` by ${ids.length} node${ids.length === 1 ? '' : 's'}` : '');
  if (flaggedFail(master))
    return { down: true, suspected: false, unreachableFromDashboard, summary: `FAIL${seen(failReporters(master))}` };
  if (!flaggedPfail(master))
    return { down: false, suspected: false, unreachableFromDashboard, summary: 'healthy in the cluster view' };
  // PFAIL is one node's local opinion: Redis sets FAIL (nodeFailed) only once a majority of masters agree, and the
  // master keeps acknowledging writes meanwhile, so a FORCE now would lose them. Suspected, never down.
  const replicas = snapshot.nodes.filter((n) => n.role === 'replica' && n.masterId === master.id);
  const evidence = replicas.map((r) => replicaEvidence(master, r));
  const pfail = `PFAIL${seen(pfailReporters(master))}`;
  return {
    down: false,
    suspected: true,
    unreachableFromDashboard,
    summary: evidence.includes('up')
      ? `${pfail}, but its replica still replicates from it; not FAIL (a majority of masters has not agreed)`
      : `${pfail}; not FAIL (a majority of masters has not agreed)`,
  };
}

/**
 * A master is lost to the cluster when it is FAIL, or when every answering master flags it PFAIL: without a majority
 * FAIL can never be agreed, so after losing most masters PFAIL from all survivors is all the cluster can say.
 */
export function lostToCluster(snapshot: ClusterSnapshot, master: SnapshotNode): boolean {
  if (flaggedFail(master)) return true;
  const reporters = new Set(pfailReporters(master));
  const others = snapshot.nodes.filter((n) => n.role === 'master' && n.reachable && n.id !== master.id);
  return others.length > 0 && reporters.size > 0 && others.every((n) => reporters.has(n.id));
}

/** Masters serving slots that the cluster sees up (not the ones the dashboard happens to reach). */
export function mastersUp(snapshot: ClusterSnapshot) {
  const masters = snapshot.nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
  const up = masters.filter((m) => !lostToCluster(snapshot, m));
  return {
    up: up.length,
    total: masters.length,
    ok: up.length > masters.length / 2,
    reachedByDashboard: masters.filter((m) => m.reachable).length,
  };
}

/** Past this, a replica whose link is down is called stale (a link flapping for a second is not). */
export const STALE_LINK_DOWN_S = 5;
/** An offset gap to a sibling replica above this is worth naming before a failover that does not catch up. */
export const STALE_SIBLING_GAP_BYTES = 1024 * 1024;

export interface ReplicaStaleness {
  linkDown: boolean;
  /** INFO master_link_down_since_seconds; -1 = never synced since it started. */
  linkDownSinceS?: number;
  /** Bytes the best-synced sibling replica is ahead of this one (0 when this one is the most recent). */
  siblingGap?: number;
  sibling?: SnapshotNode;
  /** The master's master_repl_offset minus this replica's offset, when the dashboard reads both. */
  masterLag?: number;
  stale: boolean;
  summary: string;
}

const duration = (s: number) =>
  s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;

export function replicaStaleness(
  snapshot: ClusterSnapshot,
  replica: SnapshotNode,
  master: SnapshotNode | undefined,
  bytes: (n: number) => string,
): ReplicaStaleness {
  const info = replica.reachable ? replica.info : undefined;
  const offset = info?.slave_repl_offset;
  const linkDown = info?.master_link_status !== undefined && info.master_link_status !== 'up';
  const linkDownSinceS = linkDown ? info?.master_link_down_since_seconds : undefined;
  const siblings = snapshot.nodes.filter(
    (n) =>
      n.id !== replica.id &&
      n.role === 'replica' &&
      n.masterId === replica.masterId &&
      n.reachable &&
      n.info?.slave_repl_offset !== undefined,
  );
  const sibling = siblings.sort((a, b) => (b.info?.slave_repl_offset ?? 0) - (a.info?.slave_repl_offset ?? 0))[0];
  const siblingGap =
    sibling && offset !== undefined ? Math.max(0, (sibling.info?.slave_repl_offset ?? 0) - offset) : undefined;
  const masterLag =
    master?.reachable && master.info && offset !== undefined ? master.info.master_repl_offset - offset : undefined;
  const longDown =
    linkDown && (linkDownSinceS === undefined || linkDownSinceS < 0 || linkDownSinceS > STALE_LINK_DOWN_S);
  const stale = longDown || (siblingGap ?? 0) > STALE_SIBLING_GAP_BYTES;
  const parts = [
    linkDown
      ? linkDownSinceS === undefined
        ? 'link down'
        : linkDownSinceS < 0
          ? 'never synced since it started'
          : `link down for ${duration(linkDownSinceS)}`
      : info
        ? 'link up'
        : 'link unknown (no INFO from the replica)',
    ...(sibling && siblingGap !== undefined
      ? [
          siblingGap > 0
            ? `${bytes(siblingGap)} behind ${nodeName(sibling)}`
            : `ahead of or even with ${nodeName(sibling)}`,
        ]
      : []),
    masterLag !== undefined ? `${bytes(Math.max(0, masterLag))} behind the master` : 'master offset unknown',
  ];
  return {
    linkDown,
    ...(linkDownSinceS !== undefined ? { linkDownSinceS } : {}),
    ...(siblingGap !== undefined ? { siblingGap } : {}),
    ...(sibling ? { sibling } : {}),
    ...(masterLag !== undefined ? { masterLag } : {}),
    stale,
    summary: parts.join('; '),
  };
}
