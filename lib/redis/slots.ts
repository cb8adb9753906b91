export const SLOT_COUNT = 16384;
export const MAX_SLOT = SLOT_COUNT - 1;

/** Inclusive [start, end]. */
export type SlotRange = [number, number];

export function isSlot(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= MAX_SLOT;
}

export function slotCount(ranges: readonly SlotRange[]): number {
  return ranges.reduce((sum, [start, end]) => sum + end - start + 1, 0);
}

/** Sorted, with overlapping and adjacent ranges merged. */
export function normalizeRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: SlotRange[] = [];
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  return merged;
}

export function rangesFromSlots(slots: Iterable<number>): SlotRange[] {
  return normalizeRanges([...slots].map((s): SlotRange => [s, s]));
}

export function slotsInRanges(ranges: readonly SlotRange[]): number[] {
  const out: number[] = [];
  for (const [start, end] of ranges) for (let s = start; s <= end; s++) out.push(s);
  return out;
}

export function rangeContains(ranges: readonly SlotRange[], slot: number): boolean {
  return ranges.some(([start, end]) => slot >= start && slot <= end);
}

/** redis-cli style text: "0-5460,5462,10923-16383". */
export function formatRanges(ranges: readonly SlotRange[]): string {
  return ranges.map(([start, end]) => (start === end ? `${start}` : `${start}-${end}`)).join(',');
}

/** Slots no range covers, as ranges. */
export function uncoveredRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const gaps: SlotRange[] = [];
  let next = 0;
  for (const [start, end] of normalizeRanges(ranges)) {
    if (start > next) gaps.push([next, start - 1]);
    next = Math.max(next, end + 1);
  }
  if (next <= MAX_SLOT) gaps.push([next, MAX_SLOT]);
  return gaps;
}
