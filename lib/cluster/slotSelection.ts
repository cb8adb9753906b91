import { formatCount } from '../format';
import { MAX_SLOT, type SlotRange } from '../redis/slots';

/** A range picked on the slot map: where it started (click) and where it ends now (drag, shift-click, shift+arrows). */
export interface SlotSelection {
  anchor: number;
  focus: number;
}

const clampSlot = (slot: number) => Math.min(MAX_SLOT, Math.max(0, Math.round(slot)));

export function selectionRange(selection: SlotSelection): SlotRange {
  const a = clampSlot(selection.anchor);
  const b = clampSlot(selection.focus);
  return a <= b ? [a, b] : [b, a];
}

export interface RangeOwner {
  /** Undefined: slots no master claims. */
  nodeId?: string;
  addr?: string;
  slots: number;
}

/**
 * Who owns the slots of a range, most slots first. `owner` is the slot map's per-slot index into `owners` (-1 for
 * none), so the answer is read from the same model the map is drawn from.
 */
export function rangeOwners(
  range: SlotRange,
  owner: ArrayLike<number>,
  owners: ReadonlyArray<{ id: string; addr: string }>,
): RangeOwner[] {
  const counts = new Map<number, number>();
  for (let slot = range[0]; slot <= range[1]; slot++) {
    const o = owner[slot] ?? -1;
    counts.set(o, (counts.get(o) ?? 0) + 1);
  }
  return [...counts]
    .map(([index, slots]): RangeOwner => {
      const node = owners[index];
      return node ? { nodeId: node.id, addr: node.addr, slots } : { slots };
    })
    .sort((a, b) => b.slots - a.slots);
}

/** "slots 0–1819, 1,820 slots, owned by 127.0.0.1:7000 (1,820)"; a single slot reads "slot 42, owned by …". */
export function describeSelection(range: SlotRange, owners: readonly RangeOwner[]): string {
  const [start, end] = range;
  const count = end - start + 1;
  const who = owners
    .map((o) => (o.addr ? `${o.addr} (${formatCount(o.slots)})` : `nobody: uncovered (${formatCount(o.slots)})`))
    .join(', ');
  const where = start === end ? `slot ${start}` : `slots ${start}–${end}, ${formatCount(count)} slots`;
  return `${where}, owned by ${who}`;
}

/** A line segment in map cells: [x1, y1, x2, y2]. */
export type Segment = [number, number, number, number];

/**
 * The outline of a slot range on a map `columns` cells wide (row-major, slot = row * columns + col): the edges between
 * a cell in the range and one outside it, as at most 8 segments, so a range across rows reads as one shape.
 */
export function rangeOutline(range: SlotRange, columns: number): Segment[] {
  const [a, b] = range;
  const r0 = Math.floor(a / columns);
  const r1 = Math.floor(b / columns);
  const c0 = a % columns;
  const c1 = (b % columns) + 1;
  if (r0 === r1)
    return [
      [c0, r0, c1, r0],
      [c0, r0 + 1, c1, r0 + 1],
      [c0, r0, c0, r0 + 1],
      [c1, r0, c1, r0 + 1],
    ];
  // Selected columns of a row: the first row from c0, the last up to c1, the rows between whole.
  const startOf = (row: number) => (row === r0 ? c0 : 0);
  const endOf = (row: number) => (row === r1 ? c1 : columns);
  const segments: Segment[] = [
    [c0, r0, columns, r0],
    [0, r1 + 1, c1, r1 + 1],
    [c0, r0, c0, r0 + 1],
    [0, r0 + 1, 0, r1 + 1],
    [columns, r0, columns, r1],
    [c1, r1, c1, r1 + 1],
  ];
  // Under the first row's start: the top of the second row's cells left of c0.
  const topEnd = Math.min(c0, endOf(r0 + 1));
  if (topEnd > 0) segments.push([0, r0 + 1, topEnd, r0 + 1]);
  // Over the last row's end: the bottom of the row above's cells right of c1.
  const bottomStart = Math.max(c1, startOf(r1 - 1));
  if (bottomStart < columns) segments.push([bottomStart, r1, columns, r1]);
  return segments;
}
