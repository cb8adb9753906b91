import type { SnapshotNode } from './types';

/** Okabe–Ito, colour-blind safe; never used for status. Past 8 shards the hue repeats at another lightness. */
const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#BBBBBB'];

function mix(hex: string, toward: number, amount: number): string {
  const channels = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return `#${channels
    .map((c) =>
      Math.round(c + (toward - c) * amount)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** The i-th shard colour: Okabe–Ito, then the same hues darker, lighter, darker still... */
export function shardColor(index: number): string {
  const base = OKABE_ITO[index % OKABE_ITO.length] ?? '#BBBBBB';
  const round = Math.floor(index / OKABE_ITO.length);
  if (round === 0) return base;
  const amount = Math.min(0.6, 0.3 * Math.ceil(round / 2));
  return round % 2 === 1 ? mix(base, 0, amount) : mix(base, 255, amount);
}

/**
 * A shard's colour follows the slots its master owns (ranked by lowest slot), not list order or node id, so it stays
 * the same across reloads and across a failover inside the shard. Replicas take their master's colour.
 */
export function shardColors(nodes: readonly SnapshotNode[]): Map<string, string> {
  const masters = nodes
    .filter((n) => n.role === 'master' && n.slotCount > 0)
    .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
  const colours = new Map<string, string>();
  masters.forEach((master, i) => {
    colours.set(master.id, shardColor(i));
  });
  for (const node of nodes) {
    const colour = node.role !== 'master' && node.masterId ? colours.get(node.masterId) : undefined;
    if (colour) colours.set(node.id, colour);
  }
  return colours;
}
