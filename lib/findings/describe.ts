import type { SnapshotNode } from '../cluster/types';
import { formatRanges, rangesFromSlots } from '../redis/slots';

/** "127.0.0.1:7000 (a1b2c3d4)" */
export function nodeName(node: Pick<SnapshotNode, 'addr' | 'id'>): string {
  return `${node.addr || '(no address)'} (${node.id.slice(0, 8)})`;
}

/** "0-5,9" for a slot list, cut after a few ranges. */
export function slotList(slots: number[], maxRanges = 8): string {
  const ranges = rangesFromSlots(slots);
  const text = formatRanges(ranges.slice(0, maxRanges));
  return ranges.length > maxRanges ? `${text},… (${slots.length} slots)` : text;
}

/** Where a node runs: its announced hostname, else its IP. */
export function hostOf(node: Pick<SnapshotNode, 'hostname' | 'host'>): string {
  return node.hostname ?? node.host;
}

export const isFailed = (node: SnapshotNode) => node.flags.includes('fail');
export const isPfail = (node: SnapshotNode) => node.flags.includes('fail?');

/** "5,461 slots (33 %)": a slot count with its share of the 16384. */
export function slotShare(count: number): string {
  const pct = (count / 16384) * 100;
  // Under 0.1 % a percentage reads as nothing: "1 of 16,384" says it.
  if (count > 0 && pct < 0.1) return `${count.toLocaleString('en-US')} slot${count === 1 ? '' : 's'} of 16,384`;
  const shown = pct >= 1 || pct === 0 ? String(Math.round(pct)) : pct.toFixed(1);
  return `${count.toLocaleString('en-US')} slot${count === 1 ? '' : 's'} (${shown} %)`;
}
