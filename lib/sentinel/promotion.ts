import { formatBytes } from '../format';
import type { SentinelDataNode, SentinelSnapshot } from './types';

/**
 * Sentinel's own choice of the replica to promote (src/sentinel.c, sentinelSelectSlave and
 * compareSlavesForPromotion, the same in Redis 7.0 and Valkey 8). A replica is skipped when it is flagged s_down,
 * o_down or disconnected; when its last valid PING reply is older than 5 s (5 x SENTINEL_PING_PERIOD); when its
 * replica-priority is 0; when the sentinel's INFO of it is older than 30 s (3 x SENTINEL_INFO_PERIOD; 5 s once the
 * master is s_down); when its link to the master has been down longer than 10 x down-after-milliseconds (plus the
 * time the master has been s_down). The rest are sorted: lowest replica-priority, then largest replication offset,
 * then the lexicographically smallest run id (case-insensitive; a replica without one last).
 */
const PING_VALIDITY_MS = 5_000;
const INFO_VALIDITY_MS = 30_000;
const INFO_VALIDITY_MASTER_DOWN_MS = 5_000;

export interface PromotionCandidate {
  addr: string;
  /** Sentinel may promote it. */
  eligible: boolean;
  /** Why it ranks where it does (eligible), or why Sentinel skips it. */
  why: string;
  priority?: number;
  offset?: number;
  lagBytes?: number;
  linkUp?: boolean;
  runId?: string;
}

/**
 * A replica set `replica-announced no` is left out of SENTINEL REPLICAS yet still counted in num-slaves, promoted and
 * reconfigured (as findings.ts unlistedReplica says): when a reachable sentinel counts more replicas than it lists, an
 * unlisted replica is probably hidden, not unknown.
 */
export function sentinelsHideReplicas(snapshot: SentinelSnapshot): boolean {
  return snapshot.sentinels.some(
    (s) => s.reachable && s.replicasKnown !== undefined && s.replicasKnown > (s.replicaAddrs?.length ?? 0),
  );
}

function skipReason(node: SentinelDataNode, maxLinkDownMs: number, infoMs: number, hidden: boolean) {
  const flag = node.sentinelFlags.find((f) => f === 's_down' || f === 'o_down' || f === 'disconnected');
  if (flag) return `flagged ${flag} by the sentinels`;
  if (node.knownBySentinels === 0 && !hidden)
    return 'not known to the sentinels (they list it nowhere and count no hidden replica)';
  if (node.lastOkPingMs !== undefined && node.lastOkPingMs > PING_VALIDITY_MS)
    return `last valid PING reply ${Math.round(node.lastOkPingMs / 1000)} s ago (over 5 s)`;
  if (node.priority === 0) return 'replica-priority 0 (never promoted)';
  // Sentinel reports info-refresh 0 for a replica it never had INFO from, and skips it.
  if (node.infoRefreshMs === 0) return 'the sentinels never had INFO from it (info-refresh 0)';
  if (node.infoRefreshMs !== undefined && node.infoRefreshMs > infoMs)
    return `the sentinels' INFO of it is ${Math.round(node.infoRefreshMs / 1000)} s old (over ${infoMs / 1000} s)`;
  if (node.masterLinkDownMs !== undefined && node.masterLinkDownMs > maxLinkDownMs)
    return `link to the master down for ${Math.round(node.masterLinkDownMs / 1000)} s (over 10 x down-after-milliseconds)`;
  return undefined;
}

function compare(a: SentinelDataNode, b: SentinelDataNode): number {
  const pa = a.priority ?? 100;
  const pb = b.priority ?? 100;
  if (pa !== pb) return pa - pb;
  const oa = a.offset ?? -1;
  const ob = b.offset ?? -1;
  if (oa !== ob) return ob - oa;
  if (a.runId === undefined || b.runId === undefined) return a.runId === b.runId ? 0 : a.runId === undefined ? 1 : -1;
  const ra = a.runId.toLowerCase();
  const rb = b.runId.toLowerCase();
  return ra < rb ? -1 : ra > rb ? 1 : 0;
}

/** Why the first beats the second, in Sentinel's terms. */
function beats(a: SentinelDataNode, b: SentinelDataNode): string {
  if ((a.priority ?? 100) !== (b.priority ?? 100))
    return `lower replica-priority than ${b.addr} (${a.priority ?? 100} < ${b.priority ?? 100})`;
  if ((a.offset ?? -1) !== (b.offset ?? -1))
    return `larger replication offset than ${b.addr} (${a.offset ?? '?'} > ${b.offset ?? '?'})`;
  if (a.runId && b.runId) return `same priority and offset as ${b.addr}; smaller run id`;
  return `same priority and offset as ${b.addr}; the tie is broken by run id`;
}

/** Every replica the snapshot lists, in Sentinel's order: the eligible ones best first, then the skipped ones. */
export function rankReplicas(snapshot: SentinelSnapshot, downAfterMs: number): PromotionCandidate[] {
  const master = snapshot.master;
  const masterDown = master?.sentinelFlags.some((f) => f === 's_down' || f === 'o_down') ?? false;
  const maxLinkDownMs = 10 * downAfterMs;
  const infoMs = masterDown ? INFO_VALIDITY_MASTER_DOWN_MS : INFO_VALIDITY_MS;
  const hidden = sentinelsHideReplicas(snapshot);
  const withReason = snapshot.replicas.map((node) => ({
    node,
    skip: skipReason(node, maxLinkDownMs, infoMs, hidden),
  }));
  const eligible = withReason
    .filter((r) => r.skip === undefined)
    .map((r) => r.node)
    .sort(compare);
  const describe = (node: SentinelDataNode, eligibleNow: boolean, why: string): PromotionCandidate => ({
    addr: node.addr,
    eligible: eligibleNow,
    why,
    ...(node.priority !== undefined ? { priority: node.priority } : {}),
    ...(node.offset !== undefined ? { offset: node.offset } : {}),
    ...(node.lagBytes !== undefined ? { lagBytes: node.lagBytes } : {}),
    ...(node.linkUp !== undefined ? { linkUp: node.linkUp } : {}),
    ...(node.runId !== undefined ? { runId: node.runId } : {}),
  });
  const ranked = eligible.map((node, i) => {
    const next = eligible[i + 1];
    const prev = eligible[i - 1];
    const lag = node.lagBytes !== undefined ? `, ${formatBytes(node.lagBytes)} behind` : '';
    const why = prev
      ? `ranked ${i + 1}: ${prev.addr} comes first (${beats(prev, node)})`
      : next
        ? `the sentinels' pick: ${beats(node, next)}${lag}`
        : `the only replica the sentinels can promote${lag}`;
    // The sentinels' flags, PING and INFO ages of a hidden replica are not shown to anyone: its rank is a guess.
    const unseen =
      node.knownBySentinels === 0
        ? '; hidden from SENTINEL REPLICAS (replica-announced no?), may be promoted: its state in the sentinels is not visible'
        : '';
    return describe(node, true, `${why}${unseen}`);
  });
  const skipped = withReason
    .filter((r): r is { node: SentinelDataNode; skip: string } => r.skip !== undefined)
    .map((r) => describe(r.node, false, `skipped: ${r.skip}`));
  return [...ranked, ...skipped];
}
