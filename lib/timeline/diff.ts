import { NOT_POLLED_YET } from '../cluster/buildSnapshot';
import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';
import { nodeName, slotList } from '../findings/describe';
import { SLOT_COUNT, slotsInRanges } from '../redis/slots';
import { nameIn, slotEvents } from './slotEvents';

export type TimelineKind =
  | 'cluster_state'
  | 'cluster_unknown'
  | 'cluster_recovered'
  | 'node_joined'
  | 'node_forgotten'
  | 'node_pfail'
  | 'node_fail'
  | 'node_recovered'
  | 'node_unreachable'
  | 'node_reachable'
  | 'node_restarted'
  | 'failover'
  | 'role_changed'
  | 'slots_moved'
  | 'slot_opened'
  | 'slot_closed'
  | 'save_failed'
  | 'save_recovered';

export interface TimelineEvent {
  /** ISO 8601: the collectedAt of the snapshot that showed the change. */
  at: string;
  kind: TimelineKind;
  severity: 'critical' | 'warning' | 'info';
  nodeIds: string[];
  message: string;
  epoch?: number;
  slots?: number[];
}

const has = (n: SnapshotNode, flag: string) => n.flags.includes(flag);

function ownerBySlot(snapshot: ClusterSnapshot): Array<string | undefined> {
  const owners: Array<string | undefined> = new Array(SLOT_COUNT);
  for (const node of snapshot.nodes)
    if (node.role === 'master') for (const slot of slotsInRanges(node.slots)) owners[slot] = node.id;
  return owners;
}

function nodeEvents(
  at: string,
  before: SnapshotNode,
  after: SnapshotNode,
  byId: Map<string, SnapshotNode>,
): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  const name = nodeName(after);
  const push = (
    kind: TimelineKind,
    severity: TimelineEvent['severity'],
    message: string,
    extra: Partial<TimelineEvent> = {},
  ) => events.push({ at, kind, severity, nodeIds: [after.id], message, ...extra });
  if (!has(before, 'fail') && has(after, 'fail')) push('node_fail', 'critical', `${name} marked FAIL by the cluster.`);
  else if (!has(before, 'fail?') && !has(before, 'fail') && has(after, 'fail?'))
    push('node_pfail', 'warning', `${name} is PFAIL (some nodes cannot reach it).`);
  if ((has(before, 'fail') || has(before, 'fail?')) && !has(after, 'fail') && !has(after, 'fail?'))
    push('node_recovered', 'info', `${name} is healthy again (FAIL/PFAIL cleared).`);
  if (before.reachable && !after.reachable)
    push('node_unreachable', 'warning', `The dashboard lost ${name}: ${after.error ?? 'no reply'}.`);
  if (!before.reachable && after.reachable && before.error !== NOT_POLLED_YET)
    push('node_reachable', 'info', `The dashboard reaches ${name} again.`);
  if (before.role === 'replica' && after.role === 'master') {
    const old = before.masterId ? byId.get(before.masterId) : undefined;
    push(
      'failover',
      'warning',
      `Failover: replica ${name} is now master (config epoch ${after.configEpoch})${old ? `, replacing ${nodeName(old)}` : ''}.`,
      {
        epoch: after.configEpoch,
        nodeIds: [after.id, ...(old ? [old.id] : [])],
        slots: slotsInRanges(after.slots),
      },
    );
  } else if (before.role === 'master' && after.role === 'replica') {
    const master = after.masterId ? byId.get(after.masterId) : undefined;
    push('role_changed', 'info', `${name} is now a replica${master ? ` of ${nodeName(master)}` : ''}.`, {
      nodeIds: [after.id, ...(master ? [master.id] : [])],
    });
  }
  // Both polls answered INFO: a save that fails (or works again) is an event, not only a finding.
  const saveBefore = before.info?.persistence?.lastBgsaveStatus;
  const saveAfter = after.info?.persistence?.lastBgsaveStatus;
  if (saveBefore === 'ok' && saveAfter === 'err')
    push('save_failed', 'critical', `RDB save failed on ${name} (rdb_last_bgsave_status:err): read its log.`);
  if (saveBefore === 'err' && saveAfter === 'ok') push('save_recovered', 'info', `${name} saves again (RDB save ok).`);
  return events;
}

/** Some member answered this poll. Not `status`: a user without CLUSTER INFO sees "unknown" from answering nodes. */
export const anyNodeAnswers = (snapshot: ClusterSnapshot): boolean => snapshot.nodes.some((n) => n.reachable);

function stateUnknown(at: string, before: ClusterSnapshot): TimelineEvent {
  const lastKnown = before.status === 'unknown' ? '' : ` (last known: cluster_state ${before.status})`;
  return {
    at,
    kind: 'cluster_unknown',
    severity: 'critical',
    nodeIds: [],
    message: `No node answers the dashboard: cluster state unknown${lastKnown}. Every node is down, or the path from the dashboard to them is cut.`,
  };
}

function stateRecovered(at: string, after: ClusterSnapshot): TimelineEvent {
  const answering = after.nodes.filter((n) => n.reachable).length;
  const state = after.status === 'unknown' ? '' : `; cluster_state ${after.status}`;
  return {
    at,
    kind: 'cluster_recovered',
    severity: after.status === 'fail' ? 'critical' : 'info',
    nodeIds: [],
    message: `Nodes answer the dashboard again: ${answering} of ${after.nodes.length}${state}.`,
  };
}

/**
 * What changed between two consecutive snapshots of one cluster, as events stamped with the newer one's time.
 * A poll no node answers is one "cluster state unknown" event and the first answered poll after it one "recovered"
 * event: the per-node leaves, joins and unreachables such a poll implies say nothing about the cluster. A snapshot
 * with no answer may list no node at all or keep the last known members unreachable; both are handled.
 */
export function diffSnapshots(before: ClusterSnapshot, after: ClusterSnapshot): TimelineEvent[] {
  const at = after.collectedAt;
  const answeredBefore = anyNodeAnswers(before);
  if (!anyNodeAnswers(after)) return answeredBefore ? [stateUnknown(at, before)] : [];
  if (answeredBefore) return changes(before, after, false);
  // With no member kept from before, every node would read as joined: the recovery says it all.
  return [stateRecovered(at, after), ...(before.nodes.length ? changes(before, after, true) : [])];
}

/** Per-node and slot changes; `afterOutage` drops reachability events, which only restate the recovery. */
function changes(before: ClusterSnapshot, after: ClusterSnapshot, afterOutage: boolean): TimelineEvent[] {
  const at = after.collectedAt;
  const events: TimelineEvent[] = [];
  if (before.status !== after.status && after.status !== 'unknown' && before.status !== 'unknown') {
    events.push({
      at,
      kind: 'cluster_state',
      severity: after.status === 'ok' ? 'info' : 'critical',
      nodeIds: [],
      message: `cluster_state changed from ${before.status} to ${after.status}.`,
    });
  }
  // A handshake entry carries a temporary random id that Redis drops once the MEET completes: never a member.
  const members = (s: ClusterSnapshot) => s.nodes.filter((n) => !has(n, 'handshake'));
  const beforeById = new Map(members(before).map((n) => [n.id, n]));
  const afterById = new Map(after.nodes.map((n) => [n.id, n]));
  for (const node of members(after)) {
    const old = beforeById.get(node.id);
    if (!old)
      events.push({
        at,
        kind: 'node_joined',
        severity: 'info',
        nodeIds: [node.id],
        message: `${nodeName(node)} joined the cluster as ${node.role}.`,
      });
    else
      events.push(
        ...nodeEvents(at, old, node, afterById).filter(
          (e) => !afterOutage || (e.kind !== 'node_reachable' && e.kind !== 'node_unreachable'),
        ),
      );
  }
  const kept = members(after).flatMap((n): Array<[SnapshotNode, SnapshotNode]> => {
    const old = beforeById.get(n.id);
    return old ? [[old, n]] : [];
  });
  events.push(...slotEvents(at, kept, nameIn(afterById, beforeById)));
  for (const node of members(before)) {
    if (!afterById.has(node.id))
      events.push({
        at,
        kind: 'node_forgotten',
        severity: 'info',
        nodeIds: [node.id],
        message: `${nodeName(node)} left the cluster (forgotten).`,
      });
  }
  const promoted = new Set(events.filter((e) => e.kind === 'failover').map((e) => e.nodeIds[0]));
  const was = ownerBySlot(before);
  const now = ownerBySlot(after);
  const moves = new Map<string, number[]>();
  for (let slot = 0; slot < SLOT_COUNT; slot++) {
    const from = was[slot];
    const to = now[slot];
    if (from && to && from !== to && !promoted.has(to))
      moves.set(`${from}>${to}`, [...(moves.get(`${from}>${to}`) ?? []), slot]);
  }
  for (const [key, slots] of moves) {
    const [from = '', to = ''] = key.split('>');
    const target = afterById.get(to);
    const source = afterById.get(from) ?? beforeById.get(from);
    events.push({
      at,
      kind: 'slots_moved',
      severity: 'info',
      nodeIds: [from, to],
      slots,
      message: `${slots.length === 1 ? 'Slot' : `${slots.length} slots`} ${slotList(slots)} moved from ${source ? nodeName(source) : from.slice(0, 8)} to ${target ? nodeName(target) : to.slice(0, 8)}.`,
    });
  }
  return events;
}
