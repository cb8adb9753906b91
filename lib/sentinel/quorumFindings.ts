import type { Finding } from '../findings/types';
import type { SentinelSnapshot, SentinelView } from './types';

/** A majority of the configured sentinels: what a failover needs to be authorised. */
export function majorityOf(total: number): number {
  return Math.floor(total / 2) + 1;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * What one sentinel's SENTINEL CKQUORUM says: "pass" (+OK), "noquorum" (-NOQUORUM: too few usable sentinels in its own
 * view), "not_monitoring" (-ERR No such master with that name), "unchecked" (refused: NOPERM, unknown or renamed
 * command, or no readable reply; says nothing about the quorum). Undefined when it was not asked.
 */
export type QuorumCheck = 'pass' | 'noquorum' | 'not_monitoring' | 'unchecked';

export function quorumCheck(view: SentinelView): QuorumCheck | undefined {
  const c = view.ckquorum;
  if (!view.reachable || !c) return undefined;
  if (c.ok) return 'pass';
  if (/^NOQUORUM\b/.test(c.message)) return 'noquorum';
  if (/No such master/i.test(c.message)) return 'not_monitoring';
  return 'unchecked';
}

/** The quorum the sentinels are configured with (the largest they report; they should all agree). */
function quorumOf(sentinels: readonly SentinelView[]): number | undefined {
  const quorums = sentinels.flatMap((s) => (s.reachable && s.quorum !== undefined ? [s.quorum] : []));
  return quorums.length ? Math.max(...quorums) : undefined;
}

const addrs = (views: readonly SentinelView[]) => views.map((s) => s.addr).join(', ');

/**
 * The quorum as the sentinels report it, worked out once for the findings and the page's Sentinels heading, so they
 * never disagree. voters: Sentinel needs a majority of the voters it knows (num-other-sentinels + 1), which may be more
 * than configured here. checked: the sentinels whose CKQUORUM ran (pass or NOQUORUM); a refused check ("unchecked") and
 * a sentinel not monitoring the master say nothing about the quorum. lostBySentinels: fewer than a majority of those
 * checked pass. short: fewer answer than the quorum or the majority (CKQUORUM can still say OK for a few seconds after
 * peers stop, until down-after-milliseconds).
 */
export interface QuorumState {
  reachable: SentinelView[];
  unreachable: SentinelView[];
  quorum: number | undefined;
  voters: number;
  majority: number;
  /** How many must run and see each other: the larger of the quorum and the majority. */
  needed: number;
  pass: SentinelView[];
  noquorum: SentinelView[];
  unchecked: SentinelView[];
  lostBySentinels: boolean;
  short: boolean;
}

export function quorumState(snapshot: SentinelSnapshot): QuorumState {
  const { sentinels } = snapshot;
  const reachable = sentinels.filter((s) => s.reachable);
  const unreachable = sentinels.filter((s) => !s.reachable);
  const quorum = quorumOf(sentinels);
  const voters = Math.max(sentinels.length, ...reachable.map((s) => s.sentinelsKnown ?? 0));
  const majority = majorityOf(voters);
  const needed = Math.max(quorum ?? 0, majority);
  const by = (check: QuorumCheck) => reachable.filter((s) => quorumCheck(s) === check);
  const pass = by('pass');
  const noquorum = by('noquorum');
  const unchecked = by('unchecked');
  const checked = pass.length + noquorum.length;
  const lostBySentinels = noquorum.length > 0 && pass.length < majorityOf(checked);
  const short = reachable.length < needed;
  return {
    reachable,
    unreachable,
    quorum,
    voters,
    majority,
    needed,
    pass,
    noquorum,
    unchecked,
    lostBySentinels,
    short,
  };
}

/**
 * Whether the sentinels can authorise a failover, from what they say (CKQUORUM), and how many answer. Critical only when
 * fewer than a majority of the sentinels whose check ran pass it, or too few answer and none confirms the quorum; a
 * minority saying NOQUORUM is cut off from its peers (warning); too few answering while some still pass is a warning
 * naming the unreachable ones, whatever the count; a refused check is "unchecked" (info), never a reason to call the
 * quorum lost. A sentinel not monitoring the master is the master findings' sentinel_not_monitoring.
 */
export function quorumFindings(snapshot: SentinelSnapshot): Finding[] {
  const { sentinels } = snapshot;
  const state = quorumState(snapshot);
  const {
    reachable,
    unreachable,
    quorum,
    voters,
    majority,
    needed,
    pass,
    noquorum,
    unchecked,
    lostBySentinels,
    short,
  } = state;
  if (reachable.length === 0) return [];
  const out: Finding[] = [];
  if (lostBySentinels || (short && pass.length === 0)) {
    const said = noquorum[0]?.ckquorum?.message;
    out.push({
      code: 'sentinel_quorum',
      severity: 'critical',
      nodeIds: [...noquorum, ...unreachable].map((s) => s.addr),
      message: lostBySentinels
        ? `SENTINEL CKQUORUM fails on ${addrs(noquorum)}${pass.length ? ` (passes only on ${addrs(pass)})` : ''}: "${said ?? ''}". A failover cannot be authorised: if the master fails, no replica is promoted.`
        : `Only ${reachable.length} of ${plural(sentinels.length, 'sentinel')} answer${voters > sentinels.length ? ` (the sentinels know ${voters})` : ''} (quorum ${quorum ?? '?'}, majority ${majority}) and none confirms the quorum: a failover cannot be authorised.`,
      action: `Bring the stopped sentinels back (${addrs(unreachable) || 'see SENTINEL SENTINELS'}) and fix the paths between them so that at least ${needed} run and see each other.`,
      headline: 'the sentinels cannot reach a quorum',
    });
  } else {
    for (const s of noquorum) {
      out.push({
        code: 'sentinel_cut_off',
        severity: 'warning',
        nodeIds: [s.addr],
        message: `${s.addr} is cut off from its peers: its SENTINEL CKQUORUM says "${s.ckquorum?.message ?? ''}", while ${addrs(pass)} pass${pass.length === 1 ? 'es' : ''}. It cannot take part in a failover vote; one more such loss can stop failovers.`,
        action: `Check the network path and announce-ip/port between ${s.addr} and the other sentinels (SENTINEL SENTINELS ${snapshot.masterName} on it lists whom it sees).`,
        headline: `sentinel ${s.addr} cut off from its peers`,
      });
    }
    if (reachable.length < 3 || short) {
      out.push({
        code: 'sentinel_few',
        severity: 'warning',
        nodeIds: unreachable.map((s) => s.addr),
        message: unreachable.length
          ? `${plural(unreachable.length, 'sentinel')} unreachable from here (${unreachable.map((s) => `${s.addr}: ${s.error ?? 'no answer'}`).join('; ')}); ${short ? `only ${reachable.length} of ${sentinels.length}${voters > sentinels.length ? ` (the sentinels know ${voters})` : ''} answer, fewer than the ${needed} a failover needs (quorum ${quorum ?? '?'}, majority ${majority}): CKQUORUM still says OK on ${addrs(pass)} (the sentinels may not have marked the others down yet), but a failover is probably not possible.` : `${reachable.length} answer${pass.length ? ` and ${pass.length === reachable.length ? 'their' : `${pass.length} of their`} quorum check${pass.length === 1 ? ' passes' : 's pass'}` : ''}, but one more loss stops failovers.`}`
          : short
            ? `The sentinels know ${voters} sentinels but only ${sentinels.length} are configured here, fewer than the ${needed} a failover needs (quorum ${quorum ?? '?'}, majority ${majority}): whether the others run cannot be seen from here (CKQUORUM says OK on ${addrs(pass)}).`
            : `Only ${plural(sentinels.length, 'sentinel')} configured: losing one stops failovers. Run at least 3, on different hosts.`,
        action: unreachable.length
          ? 'Check those sentinels (running? network path, password, TLS from the dashboard).'
          : short
            ? `List every sentinel in the config (SENTINEL SENTINELS ${snapshot.masterName} names them); remove stale ones with SENTINEL RESET.`
            : 'Add sentinels (3 or 5) on separate hosts and list them in the config.',
        headline:
          !unreachable.length && short
            ? `only ${sentinels.length} of ${voters} sentinels configured here`
            : `only ${reachable.length} sentinel${reachable.length === 1 ? '' : 's'} reachable`,
      });
    }
  }
  if (unchecked.length) {
    out.push({
      code: 'sentinel_quorum_unchecked',
      severity: 'info',
      nodeIds: unchecked.map((s) => s.addr),
      message: `SENTINEL CKQUORUM could not be run on ${addrs(unchecked)} (${unchecked[0]?.ckquorum?.message ?? 'no reply'}): whether ${unchecked.length === 1 ? 'it' : 'they'} can authorise a failover is unchecked.`,
      action: "Grant +sentinel|ckquorum to the dashboard's sentinel user (or check the command is not renamed).",
      headline: 'quorum check refused',
    });
  }
  const hosts = new Set(sentinels.map((s) => s.host));
  if (sentinels.length > 1 && hosts.size === 1) {
    out.push({
      code: 'sentinel_one_host',
      severity: 'warning',
      nodeIds: sentinels.map((s) => s.addr),
      message: `All ${plural(sentinels.length, 'sentinel')} run on one host (${[...hosts][0]}): losing that host loses every vote.`,
      action: 'Run the sentinels on separate hosts (ideally separate from the master too).',
      headline: 'all sentinels on one host',
    });
  }
  return out;
}
