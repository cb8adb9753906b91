import type { PreCheck } from '../failover/prechecks';
import type { SlotRangeInput } from './types';

/**
 * The answer of `POST /api/clusters/{id}/reshard/plan` as the reshard dialog reads it: what would move, from where, how
 * big, how long, and whether the pre-flight gate lets it start. Nothing changes on the cluster to compute it.
 */
export interface ReshardPreview {
  targetId: string;
  /** One per master giving slots, in the plan's order. */
  sources: ReshardPreviewSource[];
  /** Totals over the sources. */
  slots: number;
  keys: number;
  /** Estimated: sampled MEMORY USAGE × keys. */
  bytes: number;
  /** From the engine's measured rate (absent before it has measured one). */
  etaMs?: number;
  keysPerSec?: number;
  /** Pre-flight, as redis-cli's gate plus target reachable, a master, memory headroom. */
  checks: PreCheck[];
  /** False when a check fails: the server refuses to start this reshard. */
  allowed: boolean;
  /** Atomic slot migration (Valkey 9 CLUSTER MIGRATESLOTS, Redis 8.4 CLUSTER MIGRATION) on every node involved. */
  atomic: { available: boolean; command?: string; detail?: string };
}

export interface ReshardPreviewSource {
  nodeId: string;
  addr: string;
  slots: SlotRangeInput[];
  slotCount: number;
  /** COUNTKEYSINSLOT over its slots. */
  keys: number;
  /** Estimated bytes. */
  bytes: number;
  /** The biggest keys found, biggest first. */
  bigKeys: PreviewKey[];
}

export interface PreviewKey {
  key: string;
  slot: number;
  type?: string;
  bytes: number;
  /** Over the engine's big-key threshold: it moves alone, and both nodes block while MIGRATE serialises it. */
  big: boolean;
}
