import type { Finding } from '../findings/types';
import type { SentinelSnapshot, SentinelView } from './types';

/** A failover under way as the sentinels' own replies show it mid-flight (before every one has switched). */
export interface FailoverUnderWay {
  /** The master being replaced: the node SENTINEL MASTER describes with failover_in_progress or o_down. */
  from: string;
  /** The node the switched sentinels name (or the replica flagged "promoted"); null while none is chosen yet. */
  to: string | null;
  /** Reachable sentinels that already name `to` (GET-MASTER-ADDR-BY-NAME). */
  switched: string[];
  /** Reachable sentinels that still name `from`. */
  notSwitched: string[];
  /** Sentinels whose SENTINEL MASTER flags failover_in_progress (the leader of the failover). */
  leading: string[];
  /** Sentinels that flag `from` o_down: the old master is down (a forced SENTINEL FAILOVER leaves it up). */
  downBy: string[];
}

/** The node a sentinel's master flags describe (views without masterFlagsAddr: the one it names). */
export function flaggedAddr(s: SentinelView): string | null {
  return s.masterFlagsAddr ?? s.masterAddr;
}

/** Reachable sentinels whose SENTINEL MASTER flags `addr` with `flag`. */
export function flaggingSentinels(snapshot: SentinelSnapshot, addr: string, flag: string): SentinelView[] {
  return snapshot.sentinels.filter((s) => s.reachable && flaggedAddr(s) === addr && s.masterFlags?.includes(flag));
}

function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

/**
 * Whether the sentinels are mid-failover, and from which node to which: a sentinel flags failover_in_progress, or the
 * reachable sentinels name exactly two masters of which one is o_down in the view of the sentinels describing it and
 * the other is not (the sentinels that switched, and those not yet told). Null otherwise: two masters both up is a
 * split brain, not a failover.
 */
export function failoverUnderWay(snapshot: SentinelSnapshot): FailoverUnderWay | null {
  const reachable = snapshot.sentinels.filter((s) => s.reachable);
  const leaders = reachable.filter((s) => s.masterFlags?.includes('failover_in_progress') && flaggedAddr(s));
  let from = mostCommon(leaders.flatMap((s) => flaggedAddr(s) ?? []));
  const named = snapshot.agreement.addrs;
  if (!from && named.length === 2) {
    const down = named.filter((a) => flaggingSentinels(snapshot, a, 'o_down').length > 0);
    if (down.length === 1) from = down[0] ?? null;
  }
  if (!from) return null;
  const old = from;
  const promoted = snapshot.replicas.find((r) => r.sentinelFlags.includes('promoted'))?.addr ?? null;
  const to =
    mostCommon(reachable.flatMap((s) => (s.masterAddr && s.masterAddr !== old ? [s.masterAddr] : []))) ?? promoted;
  return {
    from: old,
    to,
    switched: to ? reachable.filter((s) => s.masterAddr === to).map((s) => s.addr) : [],
    notSwitched: reachable.filter((s) => s.masterAddr === old).map((s) => s.addr),
    leading: leaders.filter((s) => flaggedAddr(s) === old).map((s) => s.addr),
    downBy: flaggingSentinels(snapshot, old, 'o_down').map((s) => s.addr),
  };
}

/** What an SRE should believe mid-failover: the old master (down or not), the failover, the sentinels that switched. */
export function failoverFinding(f: FailoverUnderWay): Finding {
  const to = f.to ? ` to ${f.to}` : '';
  const who = [
    f.switched.length ? `${f.switched.join(', ')} already name${f.switched.length === 1 ? 's' : ''} ${f.to}` : '',
    f.notSwitched.length
      ? `${f.notSwitched.join(', ')} still name${f.notSwitched.length === 1 ? 's' : ''} ${f.from}`
      : '',
  ].filter(Boolean);
  const said = who.length ? ` ${who.join('; ')}.` : '';
  const led = f.leading.length ? ` ${f.leading.join(', ')} lead${f.leading.length === 1 ? 's' : ''} it.` : '';
  if (f.downBy.length) {
    return {
      code: 'sentinel_master_down',
      severity: 'critical',
      nodeIds: [f.from, ...(f.to ? [f.to] : [])],
      message: `The master ${f.from} is down (o_down in the view of ${f.downBy.join(', ')}) and the sentinels are failing over${to}: writes fail until the promotion ends and clients follow the new master.${led}${said}`,
      action:
        'Wait for +switch-master on every sentinel (seconds); if the failover does not end within failover-timeout, check the quorum findings and that a replica with priority > 0 is up.',
      headline: `master ${f.from} down (o_down), failover${to} in progress`,
    };
  }
  return {
    code: 'sentinel_failover_in_progress',
    severity: 'warning',
    nodeIds: [f.from, ...(f.to ? [f.to] : [])],
    message: `A failover of the master ${f.from}${to} is in progress (SENTINEL FAILOVER or a guided failover; the old master is not down).${led}${said}`,
    action:
      'Wait for +switch-master on every sentinel; clients that do not follow the sentinels (or HAProxy) must be pointed at the new master.',
    headline: `failover from ${f.from}${to} in progress`,
  };
}
