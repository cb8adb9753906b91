import type { ClusterSnapshot } from '../cluster/types';
import { notPermittedText } from '../redis/refusal';
import { nodeName } from './describe';
import type { Finding } from './types';

/**
 * What individual nodes' own views say that the reference view alone would hide: a minority reporting
 * cluster_state:fail, replicas of a master the view does not know, nodes in handshake or known to only some nodes.
 */
export function viewFindings(snapshot: ClusterSnapshot): Finding[] {
  const findings: Finding[] = [];
  const failing = snapshot.nodes.filter((n) => n.reachable && n.clusterState === 'fail');
  if (snapshot.status === 'ok' && failing.length > 0) {
    findings.push({
      code: 'cluster_state_fail_on_some',
      severity: 'critical',
      nodeIds: failing.map((n) => n.id),
      message: `${failing.map(nodeName).join(', ')} report${failing.length === 1 ? 's' : ''} cluster_state:fail while the others say ok: clients connected to ${failing.length === 1 ? 'it' : 'them'} get CLUSTERDOWN.`,
      action:
        'These nodes cannot reach a majority of masters or see uncovered slots: check the cluster bus (port + 10000) between them and the rest.',
    });
  }
  const byId = new Set(snapshot.nodes.map((n) => n.id));
  const unknown = new Map<string, { masterId: string; seenBy: string[] }>();
  for (const node of snapshot.nodes) {
    if (node.role === 'replica' && node.masterId && !byId.has(node.masterId))
      unknown.set(node.id, { masterId: node.masterId, seenBy: unknown.get(node.id)?.seenBy ?? [] });
    for (const u of node.unknownMasters ?? []) {
      const entry = unknown.get(u.replicaId) ?? { masterId: u.masterId, seenBy: [] };
      entry.seenBy.push(node.id);
      unknown.set(u.replicaId, entry);
    }
  }
  for (const [replicaId, { masterId, seenBy }] of unknown) {
    const replica = snapshot.nodes.find((n) => n.id === replicaId);
    const who = seenBy.length
      ? ` in the view of ${seenBy
          .map((s) => snapshot.nodes.find((n) => n.id === s))
          .flatMap((n) => (n ? [nodeName(n)] : []))
          .join(', ')}`
      : '';
    findings.push({
      code: 'replica_of_unknown_master',
      severity: 'warning',
      nodeIds: [replicaId, ...seenBy],
      message: `${replica ? nodeName(replica) : replicaId.slice(0, 8)} is a replica of ${masterId ? masterId.slice(0, 8) : 'a master'}, a node unknown${who}.`,
      action:
        'If that master was removed, point the replica at a live master (CLUSTER REPLICATE <master-id> on it) or remove it; if it was forgotten by mistake, CLUSTER MEET it again.',
    });
  }
  const handshake = snapshot.nodes.filter((n) => n.flags.includes('handshake'));
  if (handshake.length) {
    findings.push({
      code: 'node_in_handshake',
      severity: 'info',
      nodeIds: handshake.map((n) => n.id),
      message: `${handshake.map((n) => n.addr || n.id.slice(0, 8)).join(', ')} ${handshake.length === 1 ? 'is' : 'are'} in handshake: met, not yet accepted as a member.`,
      action:
        'This settles in seconds after a CLUSTER MEET; if it stays, the bus port (port + 10000) is not reachable.',
    });
  }
  const partly = snapshot.nodes.filter((n) => n.notInReference);
  if (partly.length) {
    findings.push({
      code: 'node_partly_known',
      severity: 'warning',
      nodeIds: partly.map((n) => n.id),
      message: `${partly.map(nodeName).join(', ')} ${partly.length === 1 ? 'is' : 'are'} listed by some nodes but not by the view most nodes share (forgotten by some, or not yet met by all).`,
      action:
        'If the node was being removed, finish: CLUSTER FORGET it on every node within 60 s. If it should stay, CLUSTER MEET it from a node that lacks it.',
    });
  }
  return [...findings, ...refusedFindings(snapshot)];
}

/** Commands the configured user may not run, and the features that costs. */
function refusedFindings(snapshot: ClusterSnapshot): Finding[] {
  const byCommand = new Map<string, { feature: string; reason: string; nodeIds: string[] }>();
  for (const node of snapshot.nodes) {
    for (const r of node.refused ?? []) {
      const entry = byCommand.get(r.command) ?? { feature: r.feature, reason: r.reason, nodeIds: [] };
      entry.nodeIds.push(node.id);
      byCommand.set(r.command, entry);
    }
  }
  if (byCommand.size === 0) return [];
  const user = snapshot.user ?? 'default';
  const entries = [...byCommand].sort((a, b) => a[0].localeCompare(b[0]));
  const reachable = snapshot.nodes.filter((n) => n.reachable).length;
  return [
    {
      code: 'commands_refused',
      severity: 'info',
      nodeIds: [...new Set(entries.flatMap(([, e]) => e.nodeIds))],
      message: `Some features are off: ${entries
        .map(
          ([command, e]) =>
            `${notPermittedText({ user, command })} (${e.reason}, on ${e.nodeIds.length} of ${reachable} nodes) — ${e.feature}`,
        )
        .join('; ')}.`,
      action: `Grant what is missing if you want these features, e.g. ACL SETUSER ${user} ${entries
        .map(([command]) => `+${command}`)
        .join(' ')} on every node (and ACL SAVE); a renamed command needs the rename in the dashboard config.`,
    },
  ];
}
