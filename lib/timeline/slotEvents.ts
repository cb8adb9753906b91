import type { SnapshotNode } from '../cluster/types';
import { nodeName, slotList } from '../findings/describe';
import type { TimelineEvent } from './diff';

interface OpenSlot {
  slot: number;
  state: 'migrating' | 'importing';
  node: string;
  peer: string;
}

function openSlots(node: SnapshotNode): Map<string, OpenSlot> {
  return new Map([
    ...node.migrating.map((m): [string, OpenSlot] => [
      `${m.slot} migrating`,
      { slot: m.slot, state: 'migrating', node: node.id, peer: m.to },
    ]),
    ...node.importing.map((m): [string, OpenSlot] => [
      `${m.slot} importing`,
      { slot: m.slot, state: 'importing', node: node.id, peer: m.from },
    ]),
  ]);
}

/**
 * One event per poll for the slots opened and one for the slots closed, grouped by move (source -> target): a
 * rebalance opens and closes thousands of slots, and one event per slot and side would bury everything else.
 */
export function slotEvents(
  at: string,
  pairs: ReadonlyArray<[SnapshotNode, SnapshotNode]>,
  name: (id: string) => string,
): TimelineEvent[] {
  const opened: OpenSlot[] = [];
  const closed: OpenSlot[] = [];
  for (const [before, after] of pairs) {
    const was = openSlots(before);
    const now = openSlots(after);
    for (const [key, open] of now) if (!was.has(key)) opened.push(open);
    for (const [key, open] of was) if (!now.has(key)) closed.push(open);
  }
  return [summary(at, 'slot_opened', opened, name), summary(at, 'slot_closed', closed, name)].filter(
    (e): e is TimelineEvent => e !== undefined,
  );
}

function summary(
  at: string,
  kind: 'slot_opened' | 'slot_closed',
  open: OpenSlot[],
  name: (id: string) => string,
): TimelineEvent | undefined {
  const [only] = open;
  if (!only) return undefined;
  if (open.length === 1) {
    const where = name(only.node);
    const message =
      kind === 'slot_opened'
        ? `Slot ${only.slot} is ${only.state} on ${where} (${only.state === 'migrating' ? 'to' : 'from'} ${only.peer.slice(0, 8)}).`
        : `Slot ${only.slot} is no longer ${only.state} on ${where}.`;
    return { at, kind, severity: 'info', nodeIds: [only.node, only.peer], slots: [only.slot], message };
  }
  const moves = new Map<string, Set<number>>();
  for (const o of open) {
    const key = o.state === 'migrating' ? `${o.node}>${o.peer}` : `${o.peer}>${o.node}`;
    moves.set(key, (moves.get(key) ?? new Set()).add(o.slot));
  }
  const slots = [...new Set(open.map((o) => o.slot))].sort((a, b) => a - b);
  const nodeIds = [...new Set(open.flatMap((o) => [o.node, o.peer]))];
  const parts = [...moves].map(([key, set]) => {
    const [from = '', to = ''] = key.split('>');
    return `${slotList(
      [...set].sort((a, b) => a - b),
      4,
    )} from ${name(from)} to ${name(to)}`;
  });
  const count = slots.length === 1 ? 'Slot' : `${slots.length} slots`;
  const verb = kind === 'slot_opened' ? 'opened for migration' : 'closed (migration over)';
  return { at, kind, severity: 'info', nodeIds, slots, message: `${count} ${verb}: ${parts.join('; ')}.` };
}

export const nameIn =
  (...lists: ReadonlyArray<ReadonlyMap<string, SnapshotNode>>) =>
  (id: string): string => {
    for (const list of lists) {
      const node = list.get(id);
      if (node) return nodeName(node);
    }
    return id.slice(0, 8);
  };
