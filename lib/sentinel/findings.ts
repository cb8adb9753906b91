import type { Finding } from '../findings/types';
import { failoverFinding, failoverUnderWay, flaggingSentinels } from './failoverState';
import { haproxyFindings } from './haproxyFindings';
import { nodeNetworkFindings } from './nodeNetworkFindings';
import { quorumCheck, quorumFindings } from './quorumFindings';
import type { SentinelDataNode, SentinelSnapshot } from './types';

export { majorityOf } from './quorumFindings';

/** Thresholds of the Sentinel findings. */
export interface SentinelFindingOptions {
  /** Replication lag (bytes) above which a replica is reported lagging (as for clusters). */
  replicationLagBytes: number;
}

export const DEFAULT_SENTINEL_FINDING_OPTIONS: SentinelFindingOptions = { replicationLagBytes: 1024 * 1024 };

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function masterFindings(snapshot: SentinelSnapshot): Finding[] {
  const { agreement, master } = snapshot;
  if (agreement.reachable === 0) {
    return [
      {
        code: 'sentinel_none_reachable',
        severity: 'critical',
        nodeIds: snapshot.sentinels.map((s) => s.addr),
        message: `None of the ${plural(agreement.total, 'sentinel')} answers the dashboard: which node is the master is unknown from here.`,
        action:
          'Check that the sentinels run, and the network path, sentinelPassword and TLS from the dashboard to them.',
        headline: 'no sentinel answers the dashboard',
      },
    ];
  }
  const out: Finding[] = [];
  const failover = failoverUnderWay(snapshot);
  // Mid-failover the sentinels naming the old and the new master is the failover itself, not a split brain.
  const inFailover = (a: string) => a === failover?.from || a === failover?.to;
  if (failover) out.push(failoverFinding(failover));
  if (agreement.addrs.length > 1 && !agreement.addrs.every(inFailover)) {
    out.push({
      code: 'sentinel_master_disagreement',
      severity: 'critical',
      nodeIds: [...agreement.addrs, ...snapshot.sentinels.filter((s) => s.masterAddr).map((s) => s.addr)],
      message: `The sentinels disagree on the master: ${agreement.addrs
        .map((a) => `${a} (${snapshot.sentinels.filter((s) => s.masterAddr === a).length})`)
        .join(' vs ')}. Clients asking different sentinels write to different masters (split brain).`,
      action:
        'Find the sentinels that cannot see each other (network partition, wrong announce-ip) and fix the path; then check SENTINEL MASTER on each. Do not fail over by hand until they agree.',
      headline: 'sentinels disagree on the master',
    });
  }
  const blind = snapshot.sentinels.filter((s) => s.reachable && (!s.masterAddr || quorumCheck(s) === 'not_monitoring'));
  if (master && blind.length) {
    out.push({
      code: 'sentinel_not_monitoring',
      severity: 'warning',
      nodeIds: blind.map((s) => s.addr),
      message: `${blind.map((s) => s.addr).join(', ')} answer${blind.length === 1 ? 's' : ''} but name${blind.length === 1 ? 's' : ''} no master for "${snapshot.masterName}" (${blind[0]?.error ?? 'GET-MASTER-ADDR-BY-NAME is nil'}): ${blind.length === 1 ? 'it does' : 'they do'} not vote on this master.`,
      action: `Add "sentinel monitor ${snapshot.masterName} ${master.addr.replace(/:(\d+)$/, ' $1')} <quorum>" to ${blind.length === 1 ? 'its' : 'their'} sentinel.conf (or SENTINEL MONITOR), or remove ${blind.length === 1 ? 'it' : 'them'} from the config.`,
      headline: 'a sentinel does not monitor the master',
    });
  }
  if (!master) {
    out.push({
      code: 'sentinel_no_master',
      severity: 'critical',
      nodeIds: snapshot.sentinels.filter((s) => s.reachable).map((s) => s.addr),
      message: `No reachable sentinel names a master for "${snapshot.masterName}" (GET-MASTER-ADDR-BY-NAME).`,
      action: `Check the master name in the config and "sentinel monitor ${snapshot.masterName} …" in sentinel.conf.`,
      headline: `sentinels know no master "${snapshot.masterName}"`,
    });
    return out;
  }
  // Flags count for the node SENTINEL MASTER describes: mid-failover that is the old master, not the one named now.
  const oDown = flaggingSentinels(snapshot, master.addr, 'o_down').length > 0;
  const sDownBy = flaggingSentinels(snapshot, master.addr, 's_down');
  if (failover) {
    // Said once, by the failover finding.
  } else if (oDown) {
    out.push({
      code: 'sentinel_master_down',
      severity: 'critical',
      nodeIds: [master.addr],
      message: `The sentinels agree the master ${master.addr} is down (o_down): writes fail until a replica is promoted.`,
      action:
        'Watch the failover (SENTINEL MASTER flags: failover_in_progress); if none starts, check the quorum findings and that a replica with priority > 0 is up.',
      headline: `master ${master.addr} down (o_down)`,
    });
  } else if (sDownBy.length) {
    out.push({
      code: 'sentinel_master_suspected',
      severity: 'warning',
      nodeIds: [master.addr, ...sDownBy.map((s) => s.addr)],
      message: `${plural(sDownBy.length, 'sentinel')} see the master ${master.addr} down (s_down), not yet a quorum.`,
      action: 'Check the master and the path from those sentinels to it; a failover starts once the quorum agrees.',
      headline: `master ${master.addr} suspected down`,
    });
  } else if (!master.reachable && !master.outsideNodeNetworks) {
    out.push({
      code: 'sentinel_master_unreachable',
      severity: 'warning',
      nodeIds: [master.addr],
      message: `The master ${master.addr} is unreachable from here (${master.error ?? 'no answer'}); the sentinels still see it up.`,
      action: 'Check the network path, natMap, password and TLS from the dashboard to the master.',
      headline: `master ${master.addr} unreachable from here`,
    });
  }
  if (master.reachable && master.role === 'replica' && !failover) {
    out.push({
      code: 'sentinel_master_is_replica',
      severity: 'critical',
      nodeIds: [master.addr],
      message: `The node the sentinels name as master, ${master.addr}, answers role:replica${master.masterAddr ? ` of ${master.masterAddr}` : ''}.`,
      action:
        'A failover may be under way (wait a few seconds); otherwise the sentinels lost track: check SENTINEL MASTER.',
      headline: `the sentinels' master ${master.addr} is a replica`,
    });
  }
  const otherMasters = snapshot.replicas.filter((r) => r.reachable && r.role === 'master' && r.addr !== failover?.to);
  if (otherMasters.length) {
    out.push({
      code: 'sentinel_second_master',
      severity: 'critical',
      nodeIds: [master.addr, ...otherMasters.map((r) => r.addr)],
      message: `${otherMasters.map((r) => r.addr).join(', ')} answer${otherMasters.length === 1 ? 's' : ''} role:master beside the sentinels' master ${master.addr}: writes sent there are lost when the sentinels reconfigure it.`,
      action: `Make sure no client writes there (HAProxy, direct clients); the sentinels turn it into a replica of ${master.addr} on their own within seconds, or run REPLICAOF ${master.addr.replace(/:(\d+)$/, ' $1')} on it.`,
      headline: 'two nodes answer role:master',
    });
  }
  if (master.reachable && master.role === 'master') out.push(...minReplicasFindings(master));
  return out;
}

function minReplicasFindings(master: SentinelDataNode): Finding[] {
  if (master.minReplicasToWrite === null || master.minReplicasToWrite === undefined) {
    return [
      {
        code: 'sentinel_min_replicas_unchecked',
        severity: 'info',
        nodeIds: [master.addr],
        message: `Could not check min-replicas-to-write on the master ${master.addr}${master.configError ? ` (${master.configError})` : ''}: whether acknowledged writes can be lost on failover is unknown.`,
        action: "Grant +config|get to the dashboard's user (or name CONFIG in commandRenames) to have it checked.",
      },
    ];
  }
  if (master.minReplicasToWrite > 0) return [];
  return [
    {
      code: 'sentinel_no_min_replicas',
      severity: 'warning',
      nodeIds: [master.addr],
      message: `The master ${master.addr} has min-replicas-to-write 0: acknowledged writes can be lost on failover (a write the master acknowledged but no replica received is gone when a replica is promoted).`,
      action:
        'Set min-replicas-to-write 1 and min-replicas-max-lag 10 on every data node (CONFIG SET and redis.conf): the master then refuses writes it cannot replicate.',
      headline: 'acknowledged writes can be lost on failover',
    },
  ];
}

/**
 * A replica the master lists but no sentinel's SENTINEL REPLICAS does. Sentinel hides a replica set `replica-announced
 * no` from that list yet still counts it (num-slaves), promotes it and reconfigures it: when a sentinel counts more
 * replicas than it lists, that is the likely reason; otherwise the sentinels do not seem to know it.
 */
function unlistedReplica(snapshot: SentinelSnapshot, r: SentinelDataNode): Finding {
  const hidden = snapshot.sentinels.filter(
    (s) => s.reachable && s.replicasKnown !== undefined && s.replicasKnown > (s.replicaAddrs?.length ?? 0),
  );
  const counted = snapshot.sentinels.some((s) => s.reachable && s.replicasKnown !== undefined);
  const first = hidden[0];
  const message = first
    ? `The replica ${r.addr} is listed by the master but not by the sentinels' SENTINEL REPLICAS, while ${first.addr} counts ${first.replicasKnown} replicas (num-slaves) and lists ${first.replicaAddrs?.length ?? 0}: it is probably set replica-announced no. Such a replica is not announced, yet the sentinels may still promote it and reconfigure it after a failover; the dashboard cannot see their view of it.`
    : counted
      ? `The replica ${r.addr} is listed by the master but by no sentinel, and no sentinel counts it (num-slaves): the sentinels do not seem to know it, so they would neither promote it nor reconfigure it after a failover.`
      : `The replica ${r.addr} is listed by the master but by no sentinel (SENTINEL REPLICAS): either they do not know it, or it is set replica-announced no (hidden from that list, still promotable).`;
  return {
    code: 'sentinel_replica_unknown',
    severity: 'warning',
    nodeIds: [r.addr],
    message,
    action: first
      ? `Check CONFIG GET replica-announced on ${r.addr}: if it should be a failover candidate, set it to yes so the sentinels list it; if it must never be promoted, set replica-priority 0.`
      : `Check CONFIG GET replica-announced on ${r.addr}, its replica-announce-ip/port, and that the sentinels can reach it (SENTINEL REPLICAS); SENTINEL RESET may be needed after moving it.`,
    headline: `replica ${r.addr} not listed by the sentinels`,
  };
}

function replicaFindings(snapshot: SentinelSnapshot, options: SentinelFindingOptions): Finding[] {
  const out: Finding[] = [];
  const reachableSentinels = snapshot.agreement.reachable;
  // The old master of a failover under way is listed beside the replicas: the failover finding speaks for it.
  const replacing = failoverUnderWay(snapshot)?.from;
  for (const r of snapshot.replicas) {
    if (r.role === 'master' || r.addr === replacing) continue;
    if (r.knownBySentinels === 0 && reachableSentinels > 0) out.push(unlistedReplica(snapshot, r));
    const down = r.sentinelFlags.includes('s_down') || r.sentinelFlags.includes('o_down');
    if (down) {
      out.push({
        code: 'sentinel_replica_down',
        severity: 'warning',
        nodeIds: [r.addr],
        message: `The sentinels see the replica ${r.addr} down (${r.sentinelFlags.join(', ')}): it cannot be promoted.`,
        action: 'Restart it or fix the path from the sentinels to it.',
        headline: `replica ${r.addr} down`,
      });
    } else if (!r.reachable && !r.outsideNodeNetworks) {
      out.push({
        code: 'sentinel_replica_unreachable',
        severity: 'info',
        nodeIds: [r.addr],
        message: `The replica ${r.addr} is unreachable from here (${r.error ?? 'no answer'}); the sentinels do not report it down.`,
        action: 'Check the network path, natMap, password and TLS from the dashboard to it.',
        headline: `replica ${r.addr} unreachable from here`,
      });
    } else if (r.linkUp === false) {
      out.push({
        code: 'sentinel_replica_link_down',
        severity: 'warning',
        nodeIds: [r.addr],
        message: `The replica ${r.addr} has its link to ${r.masterAddr ?? 'its master'} down (master_link_status:down): it is not receiving writes.`,
        action:
          "Check the replica's log (full sync failing? masterauth? network) and the master's client-output-buffer-limit replica.",
        headline: `replica ${r.addr} link down`,
      });
    } else if (r.lagBytes !== undefined && r.lagBytes > options.replicationLagBytes) {
      out.push({
        code: 'sentinel_replica_lagging',
        severity: 'warning',
        nodeIds: [r.addr],
        message: `The replica ${r.addr} is ${r.lagBytes} bytes behind the master: promoting it now loses those writes.`,
        action: 'Check its network and load; do not fail over to it until it catches up.',
        headline: `replica ${r.addr} lagging`,
      });
    }
  }
  return out;
}

/**
 * What is wrong with a Sentinel deployment, from one snapshot: pure (the page runs it in the browser, the API and the
 * wall on the server). nodeIds are "host:port" of the data nodes and sentinels involved. What only the dashboard cannot
 * reach is "unreachable from here", never "down": the sentinels' own view decides.
 */
export function sentinelFindings(
  snapshot: SentinelSnapshot,
  options: SentinelFindingOptions = DEFAULT_SENTINEL_FINDING_OPTIONS,
): Finding[] {
  return [
    ...nodeNetworkFindings(snapshot),
    ...masterFindings(snapshot),
    ...quorumFindings(snapshot),
    ...haproxyFindings(snapshot),
    ...replicaFindings(snapshot, options),
  ];
}
