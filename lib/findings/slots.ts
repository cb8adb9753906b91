import { UNREACHABLE_PHRASE, unreachableAdvice, unreachableKind } from '../cluster/reachability';
import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { SLOT_COUNT, slotsInRanges } from '../redis/slots';
import { isFailed, isPfail, nodeName, slotList, slotShare } from './describe';
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
      headline: `${slotShare(uncovered.length)} ${uncovered.length === 1 ? 'has' : 'have'} no owner`,
      message: `Not all 16384 slots are covered: ${uncovered.length} ${uncovered.length === 1 ? 'slot has' : 'slots have'} no owner (${slotList(uncovered)}); keys there cannot be written or read.`,
      action:
        'Assign them: redis-cli --cluster fix (it gives uncovered slots to the node holding their keys, or to a master).',
    });
  }
  findings.push(...multipleOwnerFindings(snapshot, claims));
  // Down is what the cluster says (FAIL, or PFAIL from some node), never only that the dashboard cannot reach it.
  const unserved = snapshot.nodes.filter(
    (n) => n.role === 'master' && n.slotCount > 0 && (isFailed(n) || isPfail(n) || (n.pfailSeenBy?.length ?? 0) > 0),
  );
  for (const node of unserved) {
    const failed = isFailed(node);
    const kind = unreachableKind(node.error);
    findings.push({
      code: 'slots_unserved',
      // PFAIL is some nodes' opinion, not yet the cluster's: the slots may still be served (or hang).
      severity: failed ? 'critical' : 'warning',
      nodeIds: [node.id],
      slots: slotsInRanges(node.slots),
      headline: `${slotShare(node.slotCount)} on a master that ${failed ? 'the cluster marks FAIL' : node.reachable ? 'some nodes cannot reach (PFAIL)' : `${UNREACHABLE_PHRASE[kind]} (PFAIL)`}`,
      message: `${slotShare(node.slotCount)} are owned by master ${nodeName(node)}, which ${failed ? 'the cluster marks FAIL' : 'some nodes cannot reach (PFAIL; not yet FAIL)'}${node.reachable ? '' : ` and which ${UNREACHABLE_PHRASE[kind]} to the dashboard either (${node.error ?? 'no reply'})`}.`,
      action: failed
        ? 'Wait for its replica to be promoted, or fail over to a replica (FORCE if the master is gone); if it has no replica, bring the node back.'
        : `${node.reachable ? 'Check the master (overloaded? cluster bus port + 10000 blocked?).' : unreachableAdvice(kind, false)} The cluster promotes a replica on its own once a majority of masters agree on FAIL.`,
    });
  }
  for (const node of snapshot.nodes) {
    const parts = [
      ...(node.migrating.length ? [`migrating state ${slotList(node.migrating.map((m) => m.slot))}`] : []),
      ...(node.importing.length ? [`importing state ${slotList(node.importing.map((m) => m.slot))}`] : []),
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

/**
 * Slots with more than one owner, as redis-cli --cluster check --cluster-search-multiple-owners counts them: the
 * masters claiming the slot, plus the masters holding keys in it (COUNTKEYSINSLOT, for the slots that were counted).
 * Keys on both sides of an open slot are a move in progress (or interrupted): a warning; otherwise critical.
 */
function multipleOwnerFindings(snapshot: ClusterSnapshot, claims: SnapshotNode[][]): Finding[] {
  const owners = new Map<number, Set<string>>();
  claims.forEach((claimers, slot) => {
    const reachable = claimers.filter((n) => n.reachable);
    if (reachable.length > 1) owners.set(slot, new Set(reachable.map((n) => n.id)));
  });
  const masters = new Set(snapshot.nodes.filter((n) => n.role === 'master').map((n) => n.id));
  for (const { slot, keys } of snapshot.slotKeyCounts ?? []) {
    const set = new Set((claims[slot] ?? []).map((n) => n.id));
    for (const [id, count] of Object.entries(keys)) if (count > 0 && masters.has(id)) set.add(id);
    if (set.size > 1) owners.set(slot, set);
    else if (owners.get(slot)?.size === 1) owners.delete(slot);
  }
  const openBetween = (slot: number, ids: Set<string>) =>
    snapshot.nodes.some(
      (n) =>
        ids.has(n.id) &&
        (n.migrating.some((m) => m.slot === slot && ids.has(m.to)) ||
          n.importing.some((i) => i.slot === slot && ids.has(i.from))),
    );
  const groups = new Map<string, { ids: string[]; open: boolean; slots: number[] }>();
  for (const [slot, ids] of [...owners].sort((a, b) => a[0] - b[0])) {
    const open = openBetween(slot, ids);
    const key = `${[...ids].sort().join(',')}|${open}`;
    const group = groups.get(key) ?? { ids: [...ids].sort(), open, slots: [] };
    group.slots.push(slot);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ ids, open, slots }) => {
    const names = ids.map((id) => snapshot.nodes.find((n) => n.id === id)).filter((n) => n !== undefined);
    return {
      code: 'slot_multiple_owners',
      severity: open ? 'warning' : 'critical',
      nodeIds: ids,
      slots,
      message: `Slots ${slotList(slots)} have more than one owner (claiming the slot or holding keys in it): ${names.map(nodeName).join(', ')}${open ? '; the slot is open between them (a move in progress or interrupted)' : ''}.`,
      action: open
        ? 'If no reshard is running, finish the move: redis-cli --cluster fix (it moves the keys to one owner and closes the slot).'
        : 'Keep one owner (the one with the keys, highest epoch) and run redis-cli --cluster fix --cluster-search-multiple-owners.',
    } satisfies Finding;
  });
}
