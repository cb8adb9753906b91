import type { SnapshotNode } from '../cluster/types';
import { slotList } from '../findings/describe';
import { slotsInRanges } from '../redis/slots';
import type { SkippedShard } from './types';

export interface BigKeysTargets {
  /** One node per shard: a healthy replica when there is one (keeps the scan off the master), else the master. */
  targets: SnapshotNode[];
  /** Shards with no node to scan, and why: a result must never read as complete without them. */
  skipped: SkippedShard[];
}

function skipReason(shard: readonly SnapshotNode[]): string {
  const outside = shard.filter((n) => n.outsideNodeNetworks).length;
  if (outside === shard.length) return 'its nodes are outside nodeNetworks: not polled, so not scanned';
  if (outside > 0)
    return `${outside} of its ${shard.length} nodes ${outside === 1 ? 'is' : 'are'} outside nodeNetworks (not polled) and the others do not answer`;
  return 'no node of the shard answers the dashboard';
}

/** What a big-key scan reads: the one node asked for, or one node per shard of the whole cluster. */
export function bigKeysTargets(nodes: readonly SnapshotNode[], nodeId?: string): BigKeysTargets {
  if (nodeId) return { targets: nodes.filter((n) => n.id === nodeId && n.reachable), skipped: [] };
  const targets: SnapshotNode[] = [];
  const skipped: SkippedShard[] = [];
  for (const master of nodes) {
    if (master.role !== 'master' || master.slotCount === 0) continue;
    const replicas = nodes.filter((r) => r.role === 'replica' && r.masterId === master.id);
    const replica = replicas.find((r) => r.reachable && r.info?.master_link_status === 'up');
    const target = replica ?? master;
    if (target.reachable) {
      targets.push(target);
      continue;
    }
    skipped.push({
      masterId: master.id,
      addr: master.addr,
      slots: slotList(slotsInRanges(master.slots)),
      slotCount: master.slotCount,
      reason: skipReason([master, ...replicas]),
    });
  }
  return { targets, skipped };
}

/** "2 shards (10,923 slots) not scanned: …", for a job step and the panel. */
export function skippedSummary(skipped: readonly SkippedShard[]): string | undefined {
  if (skipped.length === 0) return undefined;
  const slots = skipped.reduce((sum, s) => sum + s.slotCount, 0);
  const shards = skipped.map((s) => `${s.addr} (slots ${s.slots}): ${s.reason}`).join('; ');
  return `incomplete: ${skipped.length} shard${skipped.length === 1 ? '' : 's'} (${slots.toLocaleString('en-US')} slots) not scanned: ${shards}`;
}
