import type { Finding } from '../findings/types';
import { failoverFinding, failoverUnderWay, flaggingSentinels } from './failoverState';
import { haproxyFindings } from './haproxyFindings';
import { nodeNetworkFindings } from './nodeNetworkFindings';
import type { SentinelDataNode, SentinelSnapshot, SentinelView } from './types';

/** Thresholds of the Sentinel findings. */
export interface SentinelFindingOptions {
  /** Replication lag (bytes) above which a replica is reported lagging (as for clusters). */
  replicationLagBytes: number;
}

export const DEFAULT_SENTINEL_FINDING_OPTIONS: SentinelFindingOptions = { replicationLagBytes: 1024 * 1024 };

/** A majority of the configured sentinels: what a failover needs to be authorised. */
export function majorityOf(total: number): number {
  return Math.floor(total / 2) + 1;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The quorum the sentinels are configured with (the largest they report; they should all agree). */
function quorumOf(sentinels: readonly SentinelView[]): number | undefined {
  const quorums = sentinels.flatMap((s) => (s.reachable && s.quorum !== undefined ? [s.quorum] : []));
  return quorums.length ? Math.max(...quorums) : undefined;
}

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
  const blind = snapshot.sentinels.filter((s) => s.reachable && !s.masterAddr);
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

function sentinelCountFindings(snapshot: SentinelSnapshot): Finding[] {
  const { sentinels } = snapshot;
  const reachable = sentinels.filter((s) => s.reachable);
  if (reachable.length === 0) return [];
  const unreachable = sentinels.filter((s) => !s.reachable);
  const quorum = quorumOf(sentinels);
  const majority = majorityOf(sentinels.length);
  const failing = reachable.filter((s) => s.ckquorum && !s.ckquorum.ok);
  const confirmedOk = reachable.some((s) => s.ckquorum?.ok);
  const short = reachable.length < majority || (quorum !== undefined && reachable.length < quorum);
  const out: Finding[] = [];
  if (failing.length || (short && !confirmedOk)) {
    const said = failing[0]?.ckquorum?.message;
    out.push({
      code: 'sentinel_quorum',
      severity: 'critical',
      nodeIds: [...failing, ...unreachable].map((s) => s.addr),
      message: failing.length
        ? `SENTINEL CKQUORUM fails on ${failing.map((s) => s.addr).join(', ')}: "${said ?? ''}". A failover cannot be authorised: if the master fails, no replica is promoted.`
        : `Only ${reachable.length} of ${plural(sentinels.length, 'sentinel')} answer (quorum ${quorum ?? '?'}, majority ${majority}): a failover cannot be authorised.`,
      action: `Bring the stopped sentinels back (${unreachable.map((s) => s.addr).join(', ') || 'see SENTINEL SENTINELS'}) so that at least ${Math.max(quorum ?? 0, majority)} run and see each other.`,
      headline: 'the sentinels cannot reach a quorum',
    });
  } else if (reachable.length < 3) {
    out.push({
      code: 'sentinel_few',
      severity: 'warning',
      nodeIds: unreachable.map((s) => s.addr),
      message: unreachable.length
        ? `${plural(unreachable.length, 'sentinel')} unreachable from here (${unreachable.map((s) => `${s.addr}: ${s.error ?? 'no answer'}`).join('; ')}); ${short ? `only ${reachable.length} answer, fewer than the ${Math.max(quorum ?? 0, majority)} a failover needs: CKQUORUM still says OK (the sentinels may not have marked the others down yet), but a failover is probably not possible.` : `${reachable.length} answer and their quorum check passes, but one more loss stops failovers.`}`
        : `Only ${plural(sentinels.length, 'sentinel')} configured: losing one stops failovers. Run at least 3, on different hosts.`,
      action: unreachable.length
        ? 'Check those sentinels (running? network path, password, TLS from the dashboard).'
        : 'Add sentinels (3 or 5) on separate hosts and list them in the config.',
      headline: `only ${reachable.length} sentinel${reachable.length === 1 ? '' : 's'} reachable`,
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

function replicaFindings(snapshot: SentinelSnapshot, options: SentinelFindingOptions): Finding[] {
  const out: Finding[] = [];
  const reachableSentinels = snapshot.agreement.reachable;
  // The old master of a failover under way is listed beside the replicas: the failover finding speaks for it.
  const replacing = failoverUnderWay(snapshot)?.from;
  for (const r of snapshot.replicas) {
    if (r.role === 'master' || r.addr === replacing) continue;
    if (r.knownBySentinels === 0 && reachableSentinels > 0) {
      out.push({
        code: 'sentinel_replica_unknown',
        severity: 'warning',
        nodeIds: [r.addr],
        message: `The replica ${r.addr} is listed by the master but by no sentinel: the sentinels will never promote it, nor reconfigure it after a failover.`,
        action:
          'Check its replica-announce-ip/port and that the sentinels can reach it (SENTINEL REPLICAS); SENTINEL RESET may be needed after moving it.',
        headline: `replica ${r.addr} unknown to the sentinels`,
      });
    }
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
    ...sentinelCountFindings(snapshot),
    ...haproxyFindings(snapshot),
    ...replicaFindings(snapshot, options),
  ];
}
