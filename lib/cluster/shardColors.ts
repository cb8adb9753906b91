import type { SnapshotNode } from './types';

/** Okabe–Ito, colour-blind safe; never used for status. Past 8 shards the hue repeats at another lightness. */
const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#BBBBBB'];

/**
 * A shard's colour follows the slots its master owns (ranked by lowest slot), not list order or node id, so it stays
 * the same across reloads and across a failover inside the shard.
 */
export function shardColors(nodes: readonly SnapshotNode[]): Map<string, string> {
  const masters = nodes
    .filter((n) => n.role === 'master' && n.slotCount > 0)
    .sort((a, b) => (a.slots[0]?.[0] ?? 0) - (b.slots[0]?.[0] ?? 0));
  const colours = new Map<string, string>();
  masters.forEach((master, i) => {
    const base = OKABE_ITO[i % OKABE_ITO.length] ?? '#BBBBBB';
    const round = Math.floor(i / OKABE_ITO.length);
    const colour =
      round === 0
        ? base
        : `color-mix(in oklab, ${base} ${Math.max(35, 100 - round * 25)}%, ${round % 2 ? 'white' : 'black'})`;
    colours.set(master.id, colour);
  });
  for (const node of nodes) {
    if (node.role !== 'master' && node.masterId && colours.has(node.masterId))
      colours.set(node.id, colours.get(node.masterId) ?? '');
  }
  return colours;
}
