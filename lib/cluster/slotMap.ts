import { SLOT_COUNT } from '../redis/slots';
import { shardColors } from './shardColors';
import type { ClusterSnapshot, SnapshotNode } from './types';

export const MAP_COLUMNS = 256;
export const MAP_ROWS = SLOT_COUNT / MAP_COLUMNS;

export interface SlotMapModel {
  /** Per slot: index into `owners`, or -1 when no master claims it. */
  owner: Int16Array;
  owners: SnapshotNode[];
  colours: string[];
  /** Slots marked migrating or importing on some node. */
  open: Map<number, { migrating?: string; importing?: string }>;
  uncovered: number;
}

/** Who owns each slot, for drawing: computed once per snapshot, not per frame. */
export function slotMapModel(snapshot: ClusterSnapshot): SlotMapModel {
  const colourById = shardColors(snapshot.nodes);
  const owners = snapshot.nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
  const owner = new Int16Array(SLOT_COUNT).fill(-1);
  owners.forEach((node, index) => {
    for (const [start, end] of node.slots) owner.fill(index, start, end + 1);
  });
  const open = new Map<number, { migrating?: string; importing?: string }>();
  for (const node of snapshot.nodes) {
    for (const m of node.migrating) open.set(m.slot, { ...open.get(m.slot), migrating: node.id });
    for (const m of node.importing) open.set(m.slot, { ...open.get(m.slot), importing: node.id });
  }
  let uncovered = 0;
  for (const o of owner) if (o < 0) uncovered++;
  return { owner, owners, colours: owners.map((n) => colourById.get(n.id) ?? '#888888'), open, uncovered };
}

export function hexToRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) || 0) as [number, number, number];
}
