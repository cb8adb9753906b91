export type Severity = 'critical' | 'warning' | 'info';

export interface Finding {
  /** Stable machine name, e.g. "slots_uncovered". */
  code: string;
  severity: Severity;
  /** The nodes involved, to highlight on the page. */
  nodeIds: string[];
  /** What is wrong, in one plain sentence. */
  message: string;
  /** What to do about it. */
  action: string;
  /** Slots involved, where the finding is about slots. */
  slots?: number[];
  /** A short phrase for the page headline ("5,461 slots (33 %) on a master that does not answer"); else `message`. */
  headline?: string;
}

export interface FindingOptions {
  /** Replication lag (bytes) above which a replica is reported lagging. */
  replicationLagBytes: number;
  /** used_memory / maxmemory above which memory is reported high. */
  memoryHighRatio: number;
  /** A node with RDB in use, changes since its last save and no save for longer than this (s) is reported stale. */
  staleSaveSec: number;
}

export const DEFAULT_FINDING_OPTIONS: FindingOptions = {
  replicationLagBytes: 1024 * 1024,
  memoryHighRatio: 0.9,
  staleSaveSec: 3600,
};

export const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };
