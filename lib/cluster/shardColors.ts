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

/** FNV-1a of a node id: the palette index a new shard asks for first. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export interface ShardMembers {
  masterId: string;
  replicaIds: readonly string[];
}

/**
 * A palette index per master. A shard keeps the index remembered for any of its members (so a failover inside the
 * shard keeps it); a shard seen for the first time asks for the index its master id hashes to and takes the next
 * free one if that is taken. Masters go in id order, so the same topology gives the same answer with no memory.
 */
export function assignShardIndexes(
  shards: readonly ShardMembers[],
  remembered: ReadonlyMap<string, number>,
): Map<string, number> {
  const size = OKABE_ITO.length * Math.max(1, Math.ceil(shards.length / OKABE_ITO.length));
  const ordered = [...shards].sort((a, b) => (a.masterId < b.masterId ? -1 : a.masterId > b.masterId ? 1 : 0));
  const taken = new Set<number>();
  const indexes = new Map<string, number>();
  const fresh: ShardMembers[] = [];
  for (const shard of ordered) {
    const known = [shard.masterId, ...shard.replicaIds]
      .map((id) => remembered.get(id))
      .find((i): i is number => i !== undefined && i < size && !taken.has(i));
    if (known === undefined) fresh.push(shard);
    else {
      taken.add(known);
      indexes.set(shard.masterId, known);
    }
  }
  for (const shard of fresh) {
    let index = idHash(shard.masterId) % size;
    while (taken.has(index)) index = (index + 1) % size;
    taken.add(index);
    indexes.set(shard.masterId, index);
  }
  return indexes;
}

/**
 * Remembered per process: in the browser also in localStorage (across reloads), on the server (the wall's glances)
 * for as long as it runs. Node ids are unique across clusters, so one memory serves them all.
 */
const MEMORY_KEY = 'shard-colours';
const MEMORY_MAX = 512;
let processMemory: Map<string, number> | undefined;

function memory(): Map<string, number> {
  if (!processMemory) {
    processMemory = new Map();
    const browserMemory = processMemory;
    if (typeof window !== 'undefined')
      try {
        const saved: unknown = JSON.parse(window.localStorage.getItem(MEMORY_KEY) ?? '{}');
        if (saved && typeof saved === 'object')
          for (const [id, index] of Object.entries(saved)) if (typeof index === 'number') browserMemory.set(id, index);
      } catch {
        // Unreadable or blocked storage: this tab remembers alone.
      }
  }
  return processMemory;
}

function remember(target: Map<string, number>, assigned: ReadonlyMap<string, number>): void {
  let changed = false;
  for (const [id, index] of assigned) {
    if (target.get(id) === index) continue;
    target.delete(id);
    target.set(id, index);
    changed = true;
  }
  if (!changed) return;
  for (const id of [...target.keys()].slice(0, Math.max(0, target.size - MEMORY_MAX))) target.delete(id);
  if (typeof window === 'undefined') return;
  try {
    window.localStorage.setItem(MEMORY_KEY, JSON.stringify(Object.fromEntries(target)));
  } catch {
    // Storage full or blocked: the colours hold for this tab.
  }
}

/**
 * A shard's colour stays with the shard across topology changes: a master added or removed leaves the others'
 * colours alone, and a failover inside the shard keeps it (see assignShardIndexes). Replicas take their master's
 * colour; masters with no slots have none. `remembered` defaults to the process's memory; null: none.
 */
export function shardColors(
  nodes: readonly SnapshotNode[],
  remembered: Map<string, number> | null = memory(),
): Map<string, string> {
  const masters = nodes.filter((n) => n.role === 'master' && n.slotCount > 0);
  const replicasOf = (id: string) => nodes.filter((n) => n.role !== 'master' && n.masterId === id).map((n) => n.id);
  const shards = masters.map((m) => ({ masterId: m.id, replicaIds: replicasOf(m.id) }));
  const indexes = assignShardIndexes(shards, remembered ?? new Map());
  const colours = new Map<string, string>();
  const members = new Map<string, number>();
  for (const shard of shards) {
    const index = indexes.get(shard.masterId) ?? 0;
    colours.set(shard.masterId, shardColor(index));
    for (const id of [shard.masterId, ...shard.replicaIds]) members.set(id, index);
  }
  if (remembered) remember(remembered, members);
  for (const node of nodes) {
    const colour = node.role !== 'master' && node.masterId ? colours.get(node.masterId) : undefined;
    if (colour) colours.set(node.id, colour);
  }
  return colours;
}
