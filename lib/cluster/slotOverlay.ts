import { isFailed, isPfail } from '../findings/describe';
import { SLOT_COUNT } from '../redis/slots';
import type { ClusterSnapshot, SnapshotNode } from './types';

/**
 * Why a master's slots are drawn hatched on the slot map, worst first. The same rules as the findings
 * (slots_unserved, unreachable_from_dashboard, master_no_replica), so the map and the headline never disagree.
 * - fail: the cluster marks the master FAIL and it still owns the slots (no replica has taken over yet);
 * - pfail: some nodes suspect it (PFAIL in the reference view, or in some node's own view);
 * - unreachable: the dashboard gets no reply from it, though the cluster does not flag it (yet);
 * - noReplica: it answers, but no replica is connected and in sync to take over if it fails.
 */
export type OverlayReason = 'fail' | 'pfail' | 'unreachable' | 'noReplica';
export type OverlayLevel = 'warning' | 'critical';

export const OVERLAY_REASONS: readonly OverlayReason[] = ['fail', 'pfail', 'unreachable', 'noReplica'];

export const OVERLAY_LEVEL: Record<OverlayReason, OverlayLevel> = {
  fail: 'critical',
  pfail: 'warning',
  unreachable: 'warning',
  noReplica: 'warning',
};

/** Per-slot code in `SlotOverlay.kind`: 0 = none, else 1 + the reason's index in OVERLAY_REASONS. */
export const overlayCode = (reason: OverlayReason): number => OVERLAY_REASONS.indexOf(reason) + 1;

export interface SlotOverlay {
  /** Per slot: 0 when not overlaid, else `overlayCode(reason)`. */
  kind: Uint8Array;
  /** The overlaid masters and why (each master once, its worst reason). */
  masters: Array<{ node: SnapshotNode; reason: OverlayReason }>;
  /** Slots per reason. */
  counts: Record<OverlayReason, number>;
  /** Slots drawn in the warning colour (pfail + unreachable + noReplica). */
  warning: number;
  /** Slots drawn in the critical colour (fail). */
  critical: number;
}

/** The replicas of `master` that could take over now: answering, not flagged, replication link up. */
export function workingReplicas(snapshot: ClusterSnapshot, master: SnapshotNode): SnapshotNode[] {
  return snapshot.nodes.filter(
    (n) =>
      n.role === 'replica' &&
      n.masterId === master.id &&
      n.reachable &&
      !isFailed(n) &&
      !isPfail(n) &&
      n.info?.master_link_status === 'up',
  );
}

/** The worst reason to overlay a master's slots, or undefined when they are fine. */
export function masterOverlayReason(snapshot: ClusterSnapshot, master: SnapshotNode): OverlayReason | undefined {
  if (isFailed(master)) return 'fail';
  if (isPfail(master) || (master.pfailSeenBy?.length ?? 0) > 0) return 'pfail';
  if (!master.reachable && snapshot.summary.reachable > 0) return 'unreachable';
  if (workingReplicas(snapshot, master).length === 0) return 'noReplica';
  return undefined;
}

/** Which slots to draw hatched, and why: computed once per snapshot, not per frame. */
export function slotOverlay(snapshot: ClusterSnapshot): SlotOverlay {
  const kind = new Uint8Array(SLOT_COUNT);
  const masters: SlotOverlay['masters'] = [];
  for (const node of snapshot.nodes) {
    if (node.role !== 'master' || node.slotCount === 0) continue;
    const reason = masterOverlayReason(snapshot, node);
    if (!reason) continue;
    masters.push({ node, reason });
    const code = overlayCode(reason);
    // Two masters claiming a slot: the worse reason wins (lower code).
    for (const [start, end] of node.slots)
      for (let slot = start; slot <= end; slot++) {
        const current = kind[slot] ?? 0;
        if (current === 0 || code < current) kind[slot] = code;
      }
  }
  const counts: Record<OverlayReason, number> = { fail: 0, pfail: 0, unreachable: 0, noReplica: 0 };
  for (const code of kind) {
    const reason = code ? OVERLAY_REASONS[code - 1] : undefined;
    if (reason) counts[reason]++;
  }
  const critical = counts.fail;
  const warning = counts.pfail + counts.unreachable + counts.noReplica;
  return { kind, masters, counts, warning, critical };
}
