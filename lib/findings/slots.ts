import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { SLOT_COUNT, slotsInRanges } from '../redis/slots';
import { isFailed, nodeName, slotList } from './describe';
import type { Finding } from './types';

/** Which nodes claim each slot (each node's own claim when reachable; the shared view's for the others). */
export function slotClaims(nodes: readonly SnapshotNode[]): SnapshotNode[][] {
  const claims: SnapshotNode[][] = Array.from({ length: SLOT_COUNT }, () => []);
  for (const node of nodes) for (const slot of slotsInRanges(node.slots)) claims[slot]?.push(node);
  return claims;
}

export function slotFindings(snapshot: ClusterSnapshot): Finding[] {
  const findings: Finding[] = [];
  if (snapshot.nodes.length === 0) return findings;
  const claims = slotClaims(snapshot.nodes);
  const uncovered = claims.flatMap((owners, slot) => (owners.length === 0 ? [slot] : []));
  if (uncovered.length) {
    findings.push({
      code: 'slots_uncovered',
      severity: 'critical',
      nodeIds: [],
      slots: uncovered,
      message: `Not all 16384 slots are covered: ${uncovered.length} slots have no owner (${slotList(uncovered)}); keys there cannot be written or read.`,
      action:
        'Assign them: redis-cli --cluster fix (it gives uncovered slots to the node holding their keys, or to a master).',
    });
  }
  const multiple = new Map<string, number[]>();
  claims.forEach((owners, slot) => {
    const reachable = owners.filter((n) => n.reachable);
    if (reachable.length > 1) {
      const key = reachable
        .map((n) => n.id)
        .sort()
        .join(',');
      multiple.set(key, [...(multiple.get(key) ?? []), slot]);
    }
  });
  for (const [ids, slots] of multiple) {
    const names = snapshot.nodes.filter((n) => ids.includes(n.id)).map(nodeName);
    findings.push({
      code: 'slot_multiple_owners',
      severity: 'critical',
      nodeIds: ids.split(','),
      slots,
      message: `Slots ${slotList(slots)} are claimed by more than one node: ${names.join(', ')}.`,
      action:
        'Keep one owner (the one with the keys, highest epoch) and run redis-cli --cluster fix --cluster-search-multiple-owners.',
    });
  }
  const unserved = snapshot.nodes.filter(
    (n) => n.role === 'master' && n.slotCount > 0 && (isFailed(n) || !n.reachable),
  );
  for (const node of unserved) {
    findings.push({
      code: 'slots_unserved',
      severity: 'critical',
      nodeIds: [node.id],
      slots: slotsInRanges(node.slots),
      message: `${node.slotCount} slots are owned by master ${nodeName(node)}, which is ${isFailed(node) ? 'marked FAIL' : 'not answering'}.`,
      action:
        'Wait for its replica to be promoted, or fail over to a replica (FORCE if the master is gone); if it has no replica, bring the node back.',
    });
  }
  for (const node of snapshot.nodes) {
    const parts = [
      ...(node.migrating.length ? [`migrating state ${node.migrating.map((m) => m.slot).join(',')}`] : []),
      ...(node.importing.length ? [`importing state ${node.importing.map((m) => m.slot).join(',')}`] : []),
    ];
    if (!parts.length) continue;
    const peers = [...node.migrating.map((m) => m.to), ...node.importing.map((m) => m.from)];
    findings.push({
      code: 'slot_open',
      severity: 'warning',
      nodeIds: [node.id, ...new Set(peers)],
      slots: [...node.migrating.map((m) => m.slot), ...node.importing.map((m) => m.slot)],
      message: `Node ${nodeName(node)} has slots in ${parts.join(' and ')}.`,
      action:
        'If no reshard is running, finish or undo the move: redis-cli --cluster fix, or CLUSTER SETSLOT <slot> STABLE on both nodes.',
    });
  }
  return findings;
}
