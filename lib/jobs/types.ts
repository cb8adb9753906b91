export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobStep {
  name: string;
  state: 'running' | 'done' | 'failed' | 'skipped';
  /** ISO 8601 of the step's last change. */
  at: string;
  detail?: string;
}

/** A long operation: visible to every viewer, survives a page reload (kept in the server's memory). */
export interface Job<R = unknown> {
  id: string;
  kind: string;
  clusterId: string;
  startedBy: string;
  state: JobState;
  startedAt: string;
  endedAt?: string;
  progress: { done: number; total: number; unit: string };
  steps: JobStep[];
  result?: R;
  error?: string;
}

export interface BigKey {
  key: string;
  type: string;
  bytes: number;
  elements: number;
  nodeId: string;
  addr: string;
}

export interface BigKeysResult {
  top: number;
  scannedKeys: number;
  nodes: Array<{ nodeId: string; addr: string; role: string; scanned: number }>;
  byMemory: BigKey[];
  byElements: BigKey[];
}

export interface FailoverResult {
  replicaId: string;
  oldMasterId: string | null;
  mode: 'default' | 'force' | 'takeover';
  /** The new master's config epoch after the election. */
  epoch?: number;
  /** ms from the request to each milestone. */
  timings: {
    scheduledMs?: number;
    caughtUpMs?: number;
    electedMs?: number;
    agreedMs?: number;
    demotedMs?: number;
    verifiedMs?: number;
  };
  /**
   * CLUSTER FAILOVER got no reply (timeout, connection lost) but the replica took over anyway: the error is kept and
   * the job is judged by what the nodes report, not by the lost reply.
   */
  commandError?: string;
  /** Answering nodes whose own view shows the shard's slots on the new master at verification. */
  verifiedOnNodes?: number;
  /** Warnings left after verification (e.g. the old master still down). */
  notes: string[];
}
