import type { SnapshotNode } from '../cluster/types';

/** Redis 7 / Valkey 8.0 CLUSTER_MF_TIMEOUT; Valkey 8.1+ makes it `cluster-manual-failover-timeout`. */
export const DEFAULT_MANUAL_FAILOVER_TIMEOUT_MS = 5000;
/** Time past the server's own manual failover timeout before the job calls the attempt failed. */
export const ELECTION_MARGIN_MS = 3000;
/** Redis's default cluster-node-timeout, assumed when CONFIG GET is not permitted (the longer wait is the safe one). */
const DEFAULT_NODE_TIMEOUT_MS = 15_000;

const configMs = (node: Pick<SnapshotNode, 'clusterConfig'> | undefined, key: string): number | undefined => {
  const value = Number(node?.clusterConfig?.[key]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
};

export const nodeTimeoutMs = (node?: Pick<SnapshotNode, 'clusterConfig'>): number =>
  configMs(node, 'cluster-node-timeout') ?? DEFAULT_NODE_TIMEOUT_MS;

export const manualFailoverTimeoutMs = (node?: Pick<SnapshotNode, 'clusterConfig'>): number =>
  configMs(node, 'cluster-manual-failover-timeout') ?? DEFAULT_MANUAL_FAILOVER_TIMEOUT_MS;

/** After this the replica has abandoned the attempt and the master has unpaused writers on its own. */
export const electionDeadlineMs = (replica?: Pick<SnapshotNode, 'clusterConfig'>): number =>
  manualFailoverTimeoutMs(replica) + ELECTION_MARGIN_MS;

/**
 * Redis (clusterHandleSlaveFailover): auth_timeout = max(2 x node-timeout, 2 s); a replica starts no new election
 * within 2 x auth_timeout of its last one (inside auth_timeout it even reuses the old votes and is undone at once).
 */
export const electionRetryMs = (nodeTimeout: number): number => 2 * Math.max(2 * nodeTimeout, 2000);

/** Redis (clusterSendFailoverAuthIfNeeded): a master votes for no replica of the same master within 2 x node-timeout. */
export const voteWaitMs = (nodeTimeout: number): number => 2 * nodeTimeout;

/** A timeline event as lib/timeline writes it: for a failover, nodeIds = [promoted, old master]. */
export interface ElectionEvent {
  at: string;
  kind: string;
  nodeIds: string[];
}

export interface ElectionHistory {
  /** ms since this replica last won an election (its own retry window runs from there). */
  sinceElectedMs?: number;
  /** ms since the masters last voted for a replica of this replica's current master. */
  sinceVoteForMasterMs?: number;
}

/** What the timeline says about the two waits Redis imposes on a new election by `replicaId`. */
export function electionHistory(
  events: ElectionEvent[],
  replicaId: string,
  masterId: string | null,
  now: number,
): ElectionHistory {
  const failovers = events.filter((e) => e.kind === 'failover');
  const latest = (match: (e: ElectionEvent) => boolean) => {
    const times = failovers.filter(match).map((e) => Date.parse(e.at));
    return times.length ? Math.max(0, now - Math.max(...times)) : undefined;
  };
  const sinceElectedMs = latest((e) => e.nodeIds[0] === replicaId);
  const sinceVoteForMasterMs = masterId ? latest((e) => e.nodeIds[1] === masterId) : undefined;
  return {
    ...(sinceElectedMs !== undefined ? { sinceElectedMs } : {}),
    ...(sinceVoteForMasterMs !== undefined ? { sinceVoteForMasterMs } : {}),
  };
}

export interface ElectionWait {
  /** What holds the election back, in a short phrase. */
  reason: string;
  waitMs: number;
  detail: string;
}

/** The waits Redis still imposes on an election by this replica (none for TAKEOVER, which holds no election). */
export function electionWaits(history: ElectionHistory, nodeTimeout: number): ElectionWait[] {
  const waits: ElectionWait[] = [];
  const retry = electionRetryMs(nodeTimeout);
  if (history.sinceElectedMs !== undefined && history.sinceElectedMs < retry) {
    waits.push({
      reason: `this replica won an election ${Math.round(history.sinceElectedMs / 1000)} s ago`,
      waitMs: retry - history.sinceElectedMs,
      detail: `Redis starts no new election by the same replica within ${retry / 1000} s (2 x max(2 x cluster-node-timeout, 2 s)) of its last one: an attempt now expires or is undone, while writers stay paused.`,
    });
  }
  const votes = voteWaitMs(nodeTimeout);
  if (history.sinceVoteForMasterMs !== undefined && history.sinceVoteForMasterMs < votes) {
    waits.push({
      reason: `the masters voted for a replica of this master ${Math.round(history.sinceVoteForMasterMs / 1000)} s ago`,
      waitMs: votes - history.sinceVoteForMasterMs,
      detail: `A master refuses to vote for another replica of the same master within ${votes / 1000} s (2 x cluster-node-timeout) of its last vote.`,
    });
  }
  return waits;
}
