// A skewed load for hot-slot tests: one hash tag ({hot}) holding many keys and hammered with reads and writes, over
// one key in every slot as an even background. Bounded: the hammering stops at its deadline or when stopped.
import type { DevCluster, DevNode } from '../devcluster/cluster';
import { fillSlots, owners, slotKey } from './slotData';

export const HOT_TAG = 'hot';

/** The slot {hot} hashes to, as the server computes it, and the master that owns it. */
export async function hotSlotOwner(dev: DevCluster): Promise<{ slot: number; owner: DevNode }> {
  const seed = dev.nodes[0];
  if (!seed) throw new Error('no node');
  const slot = Number(await dev.client(seed).call('CLUSTER', 'KEYSLOT', HOT_TAG));
  const addr = (await owners(dev)).get(slot);
  const owner = dev.nodes.find((n) => n.addr === addr);
  if (!owner) throw new Error(`no owner for slot ${slot}`);
  return { slot, owner };
}

/** One key in every slot, then `hotKeys` keys `{hot}:n` on the hot slot's owner. */
export async function writeSkewedKeys(dev: DevCluster, hotKeys: number): Promise<void> {
  await fillSlots(
    dev,
    Array.from({ length: 16384 }, (_, i) => i),
    () => 1,
    16,
    'bg',
  );
  const { owner } = await hotSlotOwner(dev);
  const client = dev.client(owner);
  for (let i = 0; i < hotKeys; i += 500) {
    const args: string[] = [];
    for (let k = i; k < Math.min(hotKeys, i + 500); k++) args.push(`{${HOT_TAG}}:${k}`, `v${k}`);
    await client.mset(...args);
  }
}

/**
 * Reads and writes on {hot} keys (and a few reads of background keys on every master) until `stop()` or `forMs`.
 * Resolves, once stopped, to the number of commands sent.
 */
export function hammerHotTag(dev: DevCluster, hotKeys: number, forMs: number): { stop(): Promise<number> } {
  let running = true;
  const until = Date.now() + forMs;
  const done = (async () => {
    const { owner } = await hotSlotOwner(dev);
    const slotOwners = await owners(dev);
    let sent = 0;
    for (let round = 0; running && Date.now() < until; round++) {
      const hot = dev.client(owner).pipeline();
      for (let k = 0; k < 200; k++) {
        const key = `{${HOT_TAG}}:${(round * 200 + k) % hotKeys}`;
        if (k % 4 === 0) hot.set(key, `r${round}`);
        else hot.get(key);
      }
      const background = dev.masters.map((master) => {
        const pipeline = dev.client(master).pipeline();
        for (let k = 0; k < 10; k++) {
          const slot = (round * 37 + k * 1637) % 16384;
          if (slotOwners.get(slot) === master.addr) pipeline.get(slotKey(slot, 0, 'bg'));
        }
        return pipeline.exec();
      });
      await Promise.all([hot.exec(), ...background]);
      sent += 200 + 10 * dev.masters.length;
    }
    return sent;
  })();
  return {
    stop: () => {
      running = false;
      return done;
    },
  };
}
