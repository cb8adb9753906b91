import 'server-only';
import { ON_DEMAND_REFRESH_MS } from '@/lib/api/onDemand';
import type { KeySlotResponse, SlotDetail } from '@/lib/api/types';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { hashTag, keyHashSlot } from '@/lib/redis/crc16';
import { rangeContains } from '@/lib/redis/slots';
import { ApiError } from '../api/errors';
import { pollerOr404 } from './poller';
import { connectAddrOf, readsFor } from './reads';

function owner(snapshot: ClusterSnapshot | undefined, slot: number) {
  const master = snapshot?.nodes.find((n) => n.role === 'master' && rangeContains(n.slots, slot));
  const replicaIds = master
    ? (snapshot?.nodes ?? []).filter((n) => n.role === 'replica' && n.masterId === master.id).map((n) => n.id)
    : [];
  return { master, replicaIds };
}

/** Pure lookup against the cached snapshot: no Redis call. */
export function keySlot(clusterId: string, key: string): KeySlotResponse {
  const poller = pollerOr404(clusterId);
  const slot = keyHashSlot(key);
  const tag = hashTag(key);
  const { master, replicaIds } = owner(poller.latest, slot);
  return { key, hashTag: tag ? new TextDecoder().decode(tag) : null, slot, masterId: master?.id ?? null, replicaIds };
}

/** Owner from the cache; its key count through the cluster's shared reads (one round trip per slot per period). */
export async function slotDetail(clusterId: string, slot: number): Promise<SlotDetail> {
  const poller = pollerOr404(clusterId);
  const snapshot = poller.latest;
  if (!snapshot) throw new ApiError('not_ready', 'no snapshot of this cluster yet');
  const { master, replicaIds } = owner(snapshot, slot);
  const migratingFrom = snapshot.nodes.find((n) => n.migrating.some((m) => m.slot === slot));
  const move = migratingFrom?.migrating.find((m) => m.slot === slot);
  const base: SlotDetail = {
    slot,
    masterId: master?.id ?? null,
    replicaIds,
    keys: null,
    ...(migratingFrom && move ? { migrating: { from: migratingFrom.id, to: move.to } } : {}),
  };
  if (!master) return { ...base, error: 'no owner: the slot is uncovered' };
  const addr = connectAddrOf(master);
  if (!master.reachable || !addr) return { ...base, error: `the dashboard cannot reach the owner ${master.addr}` };
  const result = await readsFor(poller).read(
    addr,
    ['CLUSTER', 'COUNTKEYSINSLOT', String(slot)],
    ON_DEMAND_REFRESH_MS.slotKeys,
  );
  if (result.kind === 'not_permitted') return { ...base, notPermitted: result.notPermitted };
  if (result.kind === 'error') return { ...base, error: result.error };
  return { ...base, keys: Number(result.reply) };
}
