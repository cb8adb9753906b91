import type { PreCheck } from '../failover/prechecks';
import type { MasterLoad } from '../plan/rebalance';
import type { SlotRange } from '../redis/slots';

/**
 * The answer of `POST /api/clusters/{id}/rebalance/plan`: redis-cli's plan shape (moves from → to with slot ranges,
 * before and after per master), keys per move, the pre-flight checks and an ETA. Nothing changes to compute it.
 */
export interface RebalancePreview {
  moves: Array<{ from: string; to: string; slots: SlotRange[]; slotCount: number; keys: number }>;
  before: Record<string, MasterLoad>;
  after: Record<string, MasterLoad>;
  /** Masters by id, for the screen: address and weight used. */
  masters: Array<{ nodeId: string; addr: string; weight: number }>;
  reason?: string;
  slots: number;
  keys: number;
  keysPerSec?: number;
  etaMs?: number;
  checks: PreCheck[];
  allowed: boolean;
}
