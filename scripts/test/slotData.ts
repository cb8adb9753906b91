// Test data placed slot by slot: key names that hash to a chosen slot (a hash tag per slot), written with one MSET per
// slot, pipelined per owner. DEBUG POPULATE is no use in a cluster: it writes keys into slots the node does not own.
import { parseClusterNodes } from '../../lib/redis/clusterNodes';
import { keyHashSlot } from '../../lib/redis/crc16';
import { SLOT_COUNT, slotsInRanges } from '../../lib/redis/slots';
import type { DevCluster } from '../devcluster/cluster';

let tags: string[] | undefined;

/** A short hash tag for every slot: `{tag}` anywhere in a key puts it in that slot. */
export function slotTags(): string[] {
  if (tags) return tags;
  const found: string[] = new Array(SLOT_COUNT);
  let missing = SLOT_COUNT;
  for (let i = 0; missing > 0; i++) {
    const tag = i.toString(36);
    const slot = keyHashSlot(tag);
    if (found[slot] === undefined) {
      found[slot] = tag;
      missing--;
    }
  }
  tags = found;
  return found;
}

/** The i-th test key of a slot. */
export function slotKey(slot: number, i: number, prefix = 'k'): string {
  return `${prefix}:{${slotTags()[slot]}}:${i}`;
}

/** slot -> the address of its owner (host:port), from one node's view. */
export async function owners(dev: DevCluster): Promise<Map<number, string>> {
  const seed = dev.nodes[0];
  if (!seed) throw new Error('no node');
  const map = new Map<number, string>();
  for (const line of parseClusterNodes(await dev.clusterNodes(seed))) {
    if (line.role !== 'master') continue;
    for (const slot of slotsInRanges(line.slots)) map.set(slot, `${line.host}:${line.port}`);
  }
  return map;
}

/**
 * Writes `keysPerSlot(slot)` keys of `valueBytes` bytes into each slot: about a million keys a few seconds on 2 cores.
 * Values are `<slot>:<i>:` padded with 'x', so a value read back tells where it came from.
 */
export async function fillSlots(
  dev: DevCluster,
  slots: Iterable<number>,
  keysPerSlot: (slot: number) => number,
  valueBytes = 100,
  prefix = 'k',
): Promise<number> {
  const ownerOf = await owners(dev);
  const bySlotOwner = new Map<string, number[]>();
  for (const slot of slots) {
    const addr = ownerOf.get(slot);
    if (!addr) throw new Error(`slot ${slot} has no owner`);
    const list = bySlotOwner.get(addr) ?? [];
    list.push(slot);
    bySlotOwner.set(addr, list);
  }
  let written = 0;
  await Promise.all(
    [...bySlotOwner].map(async ([addr, ownSlots]) => {
      const node = dev.nodes.find((n) => n.addr === addr);
      if (!node) throw new Error(`no dev node at ${addr}`);
      const client = dev.client(node);
      for (let i = 0; i < ownSlots.length; i += 256) {
        const pipeline = client.pipeline();
        for (const slot of ownSlots.slice(i, i + 256)) {
          const n = keysPerSlot(slot);
          if (n === 0) continue;
          const args: string[] = [];
          for (let k = 0; k < n; k++) args.push(slotKey(slot, k, prefix), slotValue(slot, k, valueBytes));
          pipeline.mset(...args);
          written += n;
        }
        const replies = (await pipeline.exec()) ?? [];
        const failed = replies.find(([err]) => err);
        if (failed?.[0]) throw failed[0];
      }
    }),
  );
  return written;
}

export function slotValue(slot: number, i: number, valueBytes = 100): string {
  const head = `${slot}:${i}:`;
  return head + 'x'.repeat(Math.max(0, valueBytes - head.length));
}

/** Keys per master (DBSIZE on each), by address. */
export async function keysPerMaster(dev: DevCluster): Promise<Map<string, number>> {
  const seed = dev.nodes[0];
  if (!seed) throw new Error('no node');
  const out = new Map<string, number>();
  for (const line of parseClusterNodes(await dev.clusterNodes(seed))) {
    if (line.role !== 'master') continue;
    const node = dev.nodes.find((n) => n.addr === `${line.host}:${line.port}`);
    if (node) out.set(node.addr, Number(await dev.client(node).dbsize()));
  }
  return out;
}
