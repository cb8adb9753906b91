import 'server-only';
import type { KeySlotResponse, SlotDetail } from '@/lib/api/types';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { hashTag, keyHashSlot } from '@/lib/redis/crc16';
import { rangeContains } from '@/lib/redis/slots';
import { ApiError } from '../api/errors';
import { describeNodeError } from '../collect/errors';
import { pollerOr404 } from './poller';

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

/** Owner from the cache, key count asked of the owner on demand over the poller's connection. */
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
  const member = master ? poller.member(master.id) : undefined;
  if (!member) return { ...base, error: master ? 'owner not reachable' : 'no owner: the slot is uncovered' };
  try {
    await member.connection.ready(1000);
    return { ...base, keys: Number(await member.connection.redis.call('CLUSTER', 'COUNTKEYSINSLOT', String(slot))) };
  } catch (err) {
    return { ...base, error: describeNodeError(err, poller.cluster.password ? [poller.cluster.password] : []) };
  }
}
