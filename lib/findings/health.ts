import { UNREACHABLE_PHRASE, unreachableAdvice, unreachableKind } from '../cluster/reachability';
import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { formatBytes } from '../format';
import { slotsInRanges } from '../redis/slots';
import { isFailed, isPfail, nodeName, slotShare } from './describe';
import type { Finding, FindingOptions } from './types';

export function stateFindings(snapshot: ClusterSnapshot): Finding[] {
  if (snapshot.status === 'unknown' && snapshot.summary.reachable > 0) {
    return [
      {
        code: 'cluster_state_unreadable',
        severity: 'info',
        nodeIds: [],
        message: `${snapshot.summary.reachable} nodes answer, but none lets the dashboard read cluster_state (CLUSTER INFO).`,
        action:
          "See the commands_refused finding: grant +cluster|info to the dashboard's user to see the state Redis reports.",
      },
    ];
  }
  if (snapshot.status === 'unknown') {
    return [
      {
        code: 'no_node_reachable',
        severity: 'critical',
        nodeIds: [],
        message: 'No node of this cluster answers the dashboard, so its state is unknown.',
        action: 'Check the seeds, the password and the network path (and NAT map) from the dashboard to the nodes.',
      },
    ];
  }
  if (snapshot.status === 'fail') {
    return [
      {
        code: 'cluster_state_fail',
        severity: 'critical',
        nodeIds: [],
        message:
          'cluster_state is fail: the cluster refuses queries (some slots are uncovered or their master is failed).',
        action:
          'Look at the slot and node findings below; restore the failed master or promote its replica, and cover every slot.',
      },
    ];
  }
  return [];
}

export function agreementFindings(snapshot: ClusterSnapshot): Finding[] {
  const groups = new Map<string, SnapshotNode[]>();
  for (const node of snapshot.nodes) {
    if (node.reachable && node.viewSignature)
      groups.set(node.viewSignature, [...(groups.get(node.viewSignature) ?? []), node]);
  }
  if (groups.size <= 1) return [];
  const sorted = [...groups.values()].sort((a, b) => b.length - a.length);
  const minority = sorted.slice(1).flat();
  return [
    {
      code: 'config_disagreement',
      severity: 'warning',
      nodeIds: minority.map((n) => n.id),
      message: `Nodes don't agree about slot ownership: ${minority.map(nodeName).join(', ')} see a different owner for some slots than the other ${sorted[0]?.length ?? 0} nodes.`,
      action:
        'If it does not settle within a few seconds (gossip), compare CLUSTER NODES on these nodes and run redis-cli --cluster fix.',
    },
  ];
}

export function nodeFindings(snapshot: ClusterSnapshot, options: FindingOptions): Finding[] {
  const findings: Finding[] = [];
  const byId = new Map(snapshot.nodes.map((n) => [n.id, n]));
  for (const node of snapshot.nodes) {
    const servesSlots = node.role === 'master' && node.slotCount > 0;
    if (isFailed(node)) {
      findings.push({
        code: 'node_fail',
        severity: servesSlots ? 'critical' : 'warning',
        nodeIds: [node.id],
        headline: `${node.role === 'master' ? 'Master' : 'Replica'} ${nodeName(node)} is down (FAIL)${node.role === 'master' && !servesSlots ? ', a replica took over' : ''}`,
        message: `${node.role === 'master' ? 'Master' : 'Replica'} ${nodeName(node)} is marked FAIL by the cluster${node.role === 'master' && !servesSlots ? ' (it owns no slots: a replica has taken over)' : ''}.`,
        action: servesSlots
          ? 'It still owns slots: wait for the automatic promotion of a replica, or fail over to one; bring the node back. Never FORGET a node that owns slots.'
          : 'Bring the node back (it rejoins as a replica on its own). Only if it is gone for good, remove it (CLUSTER FORGET on every node within 60 s; a forgotten node cannot rejoin for 60 s).',
      });
    } else if (isPfail(node) || (node.pfailSeenBy?.length ?? 0) > 0) {
      const by = node.pfailSeenBy?.length ?? 0;
      findings.push({
        code: 'node_pfail',
        severity: 'warning',
        nodeIds: [node.id],
        headline: `${node.role === 'master' ? 'Master' : 'Replica'} ${nodeName(node)} is suspected down (PFAIL) by ${by || 'some'} node${by === 1 ? '' : 's'}`,
        message: `${nodeName(node)} is PFAIL: ${by ? `${by} node${by === 1 ? '' : 's'} cannot reach it` : 'some nodes cannot reach it'}; it becomes FAIL if a majority of masters agree.`,
        action: 'Check the node and the cluster bus port (port + 10000) between the nodes.',
      });
    }
    const clusterSeesTrouble = isFailed(node) || isPfail(node) || (node.pfailSeenBy?.length ?? 0) > 0;
    if (
      snapshot.summary.reachable > 0 &&
      !node.reachable &&
      // Not polled at all (outside nodeNetworks): the node_outside_networks finding says why.
      !node.outsideNodeNetworks &&
      !clusterSeesTrouble &&
      node.addr &&
      !node.flags.includes('handshake')
    ) {
      const kind = unreachableKind(node.error);
      const servesSlots = node.role === 'master' && node.slotCount > 0;
      findings.push({
        code: 'unreachable_from_dashboard',
        severity: 'warning',
        nodeIds: [node.id],
        ...(servesSlots
          ? {
              slots: slotsInRanges(node.slots),
              headline: `${slotShare(node.slotCount)} on a master that ${UNREACHABLE_PHRASE[kind]}`,
            }
          : {
              headline: `${node.role === 'master' ? 'Master' : 'Replica'} ${nodeName(node)} ${UNREACHABLE_PHRASE[kind]}`,
            }),
        message: `${servesSlots ? `${slotShare(node.slotCount)} are on master ${nodeName(node)}, which` : `${nodeName(node)}`} ${UNREACHABLE_PHRASE[kind]} (${node.error ?? 'no reply'}); the cluster does not flag it (yet).`,
        action: unreachableAdvice(kind, true, node.role),
      });
    }
    if (node.reachable && clusterSeesTrouble) {
      findings.push({
        code: 'reachable_but_failed',
        severity: 'warning',
        nodeIds: [node.id],
        message: `The dashboard reaches ${nodeName(node)}, but the cluster marks it ${isFailed(node) ? 'FAIL' : 'PFAIL'}.`,
        action:
          'The cluster bus (port + 10000) is likely blocked or overloaded between the nodes; check firewalls and the node load.',
      });
    }
    if (node.role === 'replica' && node.reachable && node.info) {
      const master = node.masterId ? byId.get(node.masterId) : undefined;
      if (node.info.master_link_status !== 'up') {
        findings.push({
          code: 'replication_link_down',
          severity: 'critical',
          nodeIds: [node.id, ...(master ? [master.id] : [])],
          message: `Replica ${nodeName(node)} has master_link_status:${node.info.master_link_status ?? 'unknown'}: it is not receiving writes${master ? ` from ${nodeName(master)}` : ''}.`,
          action:
            'Check the master is up and reachable from the replica, masterauth, and the replica log (full sync in progress?).',
        });
      } else if (master?.info && node.info.slave_repl_offset !== undefined) {
        const lag = master.info.master_repl_offset - node.info.slave_repl_offset;
        if (lag > options.replicationLagBytes) {
          findings.push({
            code: 'replication_lag',
            severity: 'warning',
            nodeIds: [node.id, master.id],
            message: `Replica ${nodeName(node)} is ${formatBytes(lag)} behind its master ${nodeName(master)}.`,
            action:
              'Writes not yet replicated would be lost in a crash failover; check network throughput and replica load before any failover.',
          });
        }
      }
    }
  }
  return findings;
}

/** A master that serves slots but has no replica able to take over. */
export function redundancyFindings(snapshot: ClusterSnapshot): Finding[] {
  const findings: Finding[] = [];
  for (const master of snapshot.nodes.filter((n) => n.role === 'master' && n.slotCount > 0 && !isFailed(n))) {
    const replicas = snapshot.nodes.filter((n) => n.role === 'replica' && n.masterId === master.id);
    const working = replicas.filter(
      (r) => r.reachable && !isFailed(r) && !isPfail(r) && r.info?.master_link_status === 'up',
    );
    if (working.length > 0) continue;
    findings.push({
      code: 'master_no_replica',
      severity: 'warning',
      nodeIds: [master.id, ...replicas.map((r) => r.id)],
      slots: slotsInRanges(master.slots),
      headline: `${slotShare(master.slotCount)} on a master with no replica able to take over`,
      message:
        replicas.length === 0
          ? `Master ${nodeName(master)} has no replica: if it fails, its ${master.slotCount} slots go down with it.`
          : `Master ${nodeName(master)} has no working replica (${replicas.length} listed, none connected and in sync).`,
      action: 'Add a replica on another host (CLUSTER REPLICATE on a new node) or repair the existing one.',
    });
  }
  return findings;
}
