import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { hostOf, isFailed, nodeName } from './describe';
import type { Finding } from './types';

/** Shards (master with slots + its replicas) and where their live copies are. */
export function shards(snapshot: ClusterSnapshot): Array<{ master: SnapshotNode; replicas: SnapshotNode[] }> {
  return snapshot.nodes
    .filter((n) => n.role === 'master' && n.slotCount > 0)
    .map((master) => ({
      master,
      replicas: snapshot.nodes.filter((n) => n.role === 'replica' && n.masterId === master.id),
    }));
}

export function placementFindings(snapshot: ClusterSnapshot): Finding[] {
  const findings: Finding[] = [];
  const all = shards(snapshot);
  for (const { master, replicas } of all) {
    const sameHost = replicas.filter((r) => hostOf(r) === hostOf(master));
    if (sameHost.length) {
      findings.push({
        code: 'replica_same_host',
        severity: 'warning',
        nodeIds: [master.id, ...sameHost.map((r) => r.id)],
        message: `Master ${nodeName(master)} and its replica ${sameHost.map(nodeName).join(', ')} run on the same host ${hostOf(master)}.`,
        action: 'Move the replica to another host (add a replica elsewhere, then remove this one).',
      });
    }
    const copies = [master, ...replicas].filter((n) => !isFailed(n));
    const hosts = new Set(copies.map(hostOf));
    if (copies.length > 1 && hosts.size === 1) {
      findings.push({
        code: 'host_holds_whole_shard',
        severity: 'warning',
        nodeIds: copies.map((n) => n.id),
        message: `Every copy of the shard of ${nodeName(master)} is on host ${[...hosts][0]}: losing that host loses ${master.slotCount} slots.`,
        action: 'Place a replica of this shard on another host.',
      });
    }
  }
  const masters = all.map((s) => s.master).filter((m) => !isFailed(m));
  const majority = Math.floor(masters.length / 2) + 1;
  const byHost = new Map<string, SnapshotNode[]>();
  for (const m of masters) byHost.set(hostOf(m), [...(byHost.get(hostOf(m)) ?? []), m]);
  if (masters.length > 1) {
    for (const [host, onHost] of byHost) {
      if (onHost.length < majority) continue;
      findings.push({
        code: 'host_holds_master_majority',
        severity: 'warning',
        nodeIds: onHost.map((m) => m.id),
        message: `Host ${host} runs ${onHost.length} of ${masters.length} masters: if it goes down, the rest cannot reach a majority to fail over.`,
        action: 'Spread masters over more hosts (fail over some of them to replicas on other hosts).',
      });
    }
  }
  return findings;
}
