import { SLOT_COUNT } from '../redis/slots';
import { shardColors } from './shardColors';
import { OVERLAY_LEVEL, OVERLAY_REASONS, type OverlayLevel, type SlotOverlay, slotOverlay } from './slotOverlay';
import type { ClusterSnapshot, SnapshotNode } from './types';

/** 512 slots a row, 32 rows: wide and flat, so the whole keyspace fits in about a twelfth of its width in height. */
export const MAP_COLUMNS = 512;
export const MAP_ROWS = SLOT_COUNT / MAP_COLUMNS;
/** A cell's height over its width: the map is MAP_ROWS * CELL_ASPECT / MAP_COLUMNS of its width tall. */
export const CELL_ASPECT = 1.25;

/** The map's height for a width (CSS px): ~144 px for the 1840 px a 1920 px wide window gives it. */
export function mapHeight(width: number): number {
  return Math.round((width / MAP_COLUMNS) * MAP_ROWS * CELL_ASPECT);
}

/** A horizontal run of overlaid slots within one row of the map, in cells. */
export interface OverlayRun {
  row: number;
  col: number;
  length: number;
  level: OverlayLevel;
}

export interface SlotMapModel {
  /** Per slot: index into `owners`, or -1 when no master claims it. */
  owner: Int16Array;
  owners: SnapshotNode[];
  colours: string[];
  /** Slots marked migrating or importing on some node. */
  open: Map<number, { migrating?: string; importing?: string }>;
  uncovered: number;
  /** Slots of masters that are failed, suspected, unreachable or without a replica able to take over. */
  overlay: SlotOverlay;
  /** The same as runs per row, so a redraw fills a few rectangles instead of testing 16384 slots. */
  overlayRuns: OverlayRun[];
}

/** Consecutive overlaid slots of the same level, cut at row ends. */
export function overlayRuns(kind: Uint8Array): OverlayRun[] {
  const runs: OverlayRun[] = [];
  const levelOf = (code: number): OverlayLevel | undefined => {
    const reason = code ? OVERLAY_REASONS[code - 1] : undefined;
    return reason ? OVERLAY_LEVEL[reason] : undefined;
  };
  for (let row = 0; row < MAP_ROWS; row++) {
    let run: OverlayRun | undefined;
    for (let col = 0; col < MAP_COLUMNS; col++) {
      const level = levelOf(kind[row * MAP_COLUMNS + col] ?? 0);
      if (run && run.level === level) {
        run.length++;
        continue;
      }
      if (run) runs.push(run);
      run = level ? { row, col, length: 1, level } : undefined;
    }
    if (run) runs.push(run);
  }
  return runs;
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
  const overlay = slotOverlay(snapshot);
  return {
    owner,
    owners,
    colours: owners.map((n) => colourById.get(n.id) ?? '#888888'),
    open,
    uncovered,
    overlay,
    overlayRuns: overlayRuns(overlay.kind),
  };
}

export function hexToRgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16) || 0) as [number, number, number];
}
