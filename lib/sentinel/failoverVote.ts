import { quorumState } from './quorumFindings';
import type { SentinelSnapshot, SentinelView } from './types';

export interface FailoverVote {
  /**
   * Nothing says a failover cannot be authorised: enough sentinels answer (the quorum and a majority of the voters the
   * sentinels know) and a majority of those whose CKQUORUM ran pass it. The same rule as the quorum findings
   * (quorumState): a refused check (NOPERM, renamed) is neutral, a minority saying NOQUORUM is cut off, not a veto.
   */
  possible: boolean;
  /** At least one sentinel's CKQUORUM passes (else, when possible, the quorum is unchecked, not confirmed). */
  confirmed: boolean;
  /** How many must run and see each other: the larger of the quorum and a majority of the voters. */
  needed: number;
  reachable: number;
  total: number;
  /** The sentinels whose CKQUORUM was refused: counted neither way. */
  unchecked: string[];
  /** Why not, in a clause ("only 1 of 3 sentinels answer, a failover needs 2"). */
  why?: string;
  /** A neutral remark when possible (sentinels known but not configured here). */
  note?: string;
}

const joinAddrs = (views: readonly SentinelView[]) => views.map((s) => s.addr).join(', ');

/**
 * Whether the sentinels could authorise a failover now, as seen from here, by the quorum findings' own rule: no when a
 * majority of the checks that ran say NOQUORUM, or when fewer answer than a failover needs (a sentinel's CKQUORUM can
 * still say OK for a few seconds after its peers stop, until down-after-milliseconds). When only sentinels the others
 * know but the config does not list are missing, that is a note: whether they run cannot be seen from here.
 */
export function failoverVote(snapshot: SentinelSnapshot): FailoverVote {
  const q = quorumState(snapshot);
  const total = snapshot.sentinels.length;
  const base = {
    needed: q.needed,
    reachable: q.reachable.length,
    total,
    unchecked: q.unchecked.map((s) => s.addr),
    confirmed: q.pass.length > 0,
  };
  const known = q.voters > total ? ` (the sentinels know ${q.voters})` : '';
  if (q.lostBySentinels)
    return {
      ...base,
      possible: false,
      why: `CKQUORUM fails on ${joinAddrs(q.noquorum)}${q.pass.length ? `, passes only on ${joinAddrs(q.pass)}` : ''}`,
    };
  if (q.short && (q.unreachable.length > 0 || q.pass.length === 0))
    return {
      ...base,
      possible: false,
      why: `only ${q.reachable.length} of ${total} sentinels answer${known}, a failover needs ${q.needed}`,
    };
  if (q.short)
    return {
      ...base,
      possible: true,
      note: `the sentinels know ${q.voters} sentinels, ${total} are configured here: a failover needs ${q.needed}`,
    };
  return { ...base, possible: true };
}
