/**
 * `interrupted`: the dashboard process ended while the job ran (found so in the store at start-up); a reshard offers
 * resume and roll back from there.
 */
export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface JobStep {
  name: string;
  /** `pending`: declared by the job when it started, not reached yet (or never, once the job has ended). */
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  /** ISO 8601 of the step's last change. */
  at: string;
  detail?: string;
  /** ms from the job's start to the step's last change (absent on a pending step). */
  elapsedMs?: number;
  /** ISO 8601 of when the step began running (absent when it never ran, e.g. done at once or skipped). */
  startedAt?: string;
  /** ms the step ran for, from `startedAt` to when it ended (done or failed). */
  durationMs?: number;
}

/** Jobs that move slots on the migration engine: journalled, resumable, holding the cluster while slots are open. */
export const SLOT_MOVING_KINDS = ['reshard', 'rebalance', 'drain', 'fix'] as const;
export type SlotMovingKind = (typeof SLOT_MOVING_KINDS)[number];
export function isSlotMoving(job: Pick<Job, 'kind'>): boolean {
  return (SLOT_MOVING_KINDS as readonly string[]).includes(job.kind);
}

/** A long operation: visible to every viewer, survives a page reload (kept in the server's memory). */
export interface Job<R = unknown, P = unknown> {
  id: string;
  kind: string;
  clusterId: string;
  startedBy: string;
  state: JobState;
  startedAt: string;
  endedAt?: string;
  progress: { done: number; total: number; unit: string };
  /** Every step the job means to take, declared when it starts; `pending` until reached. */
  steps: JobStep[];
  /** What the job was asked to do, known from its start (the result only comes at the end). */
  params?: P;
  result?: R;
  error?: string;
  /** Slot-moving jobs (reshard, later rebalance/fix/remove): live figures, pushed to every viewer. */
  migration?: MigrationProgress;
  /** Slots left open (migrating/importing) by this job, from the journal and the nodes' own state. */
  openSlots?: OpenSlot[];
  /** A rolling restart's live state: the node it waits for and the cluster's health, pushed to every viewer. */
  rollingRestart?: RollingRestartLive;
}

/** [start, end] inclusive, as redis-cli writes slot ranges. */
export type SlotRangeInput = [number, number];

export interface MigrationProgress {
  slotsDone: number;
  slotsTotal: number;
  keysMoved: number;
  /** COUNTKEYSINSLOT over the plan's slots when it was made. */
  keysTotal?: number;
  bytesMoved: number;
  keysPerSec: number;
  etaMs?: number;
  /** Slots being moved right now. */
  inFlight: number[];
  /** Slots already owned by their target. */
  moved: SlotRangeInput[];
  /** Why the engine is waiting, e.g. "source latency 38 ms > 20 ms". */
  paused?: string;
}

export interface OpenSlot {
  slot: number;
  sourceId: string;
  targetId: string;
  /** The last journal phase recorded for it. */
  phase: SlotPhase;
  /** Keys still on the source in that slot, when read. */
  keysLeft?: number;
}

/**
 * A slot's phases in the journal, in order. Before each SETSLOT a 'sending' entry names it; after it completes, the
 * phase it reached. A crash leaves which slots may be open (the latest entry is neither planned, done nor rolled
 * back), where, and how far; where a slot really stands is read from the nodes.
 */
export type SlotPhase =
  | 'planned'
  | 'sending' // a SETSLOT was sent (detail names it): whether it ran, the nodes say
  | 'importing' // SETSLOT IMPORTING answered on the target
  | 'migrating' // SETSLOT MIGRATING answered on the source
  | 'keys_moved' // GETKEYSINSLOT on the source returns nothing
  | 'target_owns' // SETSLOT NODE <target> answered on the target
  | 'source_released' // SETSLOT NODE <target> answered on the source
  | 'done' // every other master told
  | 'failed'
  | 'rolled_back';

export interface ReshardOptions {
  /** MIGRATE … REPLACE when the key exists on the target with a different value (default: stop and name the key). */
  replace?: boolean;
  throttleKeysPerSec?: number;
  /** Pause while the source's PING round trip exceeds this. */
  maxSourceLatencyMs?: number;
}

/** The request body of /reshard/plan and /reshard (issue 11's shape; keep it exactly). */
export type ReshardRequest = {
  target: string;
  options?: ReshardOptions;
} & ({ slots: SlotRangeInput[] } | { count: number; sources: string[] | 'all' });

export interface ReshardResult {
  slotsMoved: number;
  keysMoved: number;
  /** The whole job, pre-flight included. */
  ms: number;
  /** Estimated from sampled MEMORY USAGE. */
  bytesMoved?: number;
  /** Mean over the move itself. */
  keysPerSec?: number;
  /** A roll back: slots returned to their source. */
  slotsReturned?: number;
  /** What did not stop the job but is worth knowing (e.g. a master not told at once; it learns by gossip). */
  notes?: string[];
}

export type ReshardJob = Job<ReshardResult, ReshardRequest>;

export interface BigKey {
  key: string;
  type: string;
  bytes: number;
  elements: number;
  nodeId: string;
  addr: string;
}

/** A shard a whole-cluster scan could not read: no node of it that the dashboard polls answers. */
export interface SkippedShard {
  masterId: string;
  addr: string;
  /** "0-5460", cut after a few ranges. */
  slots: string;
  slotCount: number;
  reason: string;
}

export interface BigKeysResult {
  top: number;
  scannedKeys: number;
  nodes: Array<{ nodeId: string; addr: string; role: string; scanned: number }>;
  byMemory: BigKey[];
  byElements: BigKey[];
  /** Shards left out (e.g. their nodes are outside nodeNetworks): the top lists do not cover their keys. */
  skippedShards: SkippedShard[];
  /** Every shard was read to the end (false when a shard was skipped or the scan was cancelled). */
  complete: boolean;
}

/** A failover job's request, as the server resolved it when the job started. */
export interface FailoverParams {
  replicaId: string;
  /** The replica's master when the job started. */
  oldMasterId: string | null;
  mode: 'default' | 'force' | 'takeover';
  /** The earlier failover job this one undoes: it promotes that job's old master back in place of its new one. */
  failbackOf?: string;
}

export type FailoverJob = Job<FailoverResult, FailoverParams>;

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

/** A fix job's result: what `redis-cli --cluster fix` would have done, done. */
export interface FixResult {
  /** Actions carried out (a slot closed and then covered counts twice). */
  slotsFixed: number;
  /** Actions not needed when their turn came (the slot was fine by then). */
  skipped: Array<{ slot: number; why: string }>;
  keysMoved: number;
  /** The whole job, pre-flight included. */
  ms: number;
  /** Slot -> the master that owns it after the fix (the slots acted on). */
  owners: Record<number, string>;
  notes: string[];
}

/** The request of a fix job, as started. */
export interface FixParams {
  withUnreachableMasters?: boolean;
}

export type FixJob = Job<FixResult, FixParams>;

/** What an add-node job was asked, and the plan it runs (lib/plan/addNode.ts). */
export interface AddNodeParams {
  addr: string;
  role: 'master' | 'replica';
  nodeId: string;
  meetVia: string;
  masterId?: string;
}

export interface AddNodeResult {
  nodeId: string;
  addr: string;
  role: 'master' | 'replica';
  masterId?: string;
  /** Members whose own CLUSTER NODES view lists the new node. */
  knownBy: number;
  /** A new master holds no slot: the next step is a rebalance with "use empty masters". */
  offerRebalance: boolean;
  ms: number;
}

/** What a remove-node job was asked, and the plan it runs (lib/plan/removeNode.ts). */
export interface RemoveNodeParams {
  nodeId: string;
  addr: string;
  role: 'master' | 'replica';
  /** Each replica of a removed master, and the master it is re-homed to. */
  rehome: Array<{ replicaId: string; masterId: string }>;
}

export interface RemoveNodeResult {
  nodeId: string;
  addr: string;
  rehomed: Array<{ replicaId: string; replicaAddr: string; masterId: string; masterAddr: string }>;
  /** Nodes that answered CLUSTER FORGET with OK. */
  forgotBy: number;
  /** Nodes that did not take the FORGET (did not answer, or refused), with why: FORGET it there once it is back. */
  notForgotten: Array<{ addr: string; error: string }>;
  /** FORGETs sent again where gossip brought the node back before every node had forgotten it. */
  reforgotten: number;
  /** CLUSTER RESET SOFT on the removed node: done, or why not (or not confirmed: its view still lists others). */
  reset: 'done' | 'not planned' | { error: string };
  /** The plan's notes and what the job found worth knowing (a node that did not take the FORGET). */
  notes: string[];
  ms: number;
}

/** What a move-replica job was asked (lib/plan/moveReplica.ts). */
export interface MoveReplicaParams {
  replicaId: string;
  replicaAddr: string;
  fromMasterId: string;
  masterId: string;
  masterAddr: string;
}

export interface MoveReplicaResult {
  replicaId: string;
  masterId: string;
  masterAddr: string;
  /** The plan's notes (anti-affinity, a master left without replica). */
  notes: string[];
  ms: number;
}

/** What a bgsave job was asked: the scope and the nodes it saves, in the order they were planned. */
export interface BgsaveParams {
  scope: 'masters' | 'all';
  deadlineSec: number;
  nodes: Array<{ id: string; addr: string; role: 'master' | 'replica' | 'unknown' }>;
}

/** One node's save: `ok` once a save that started after the request ended with rdb_last_bgsave_status:ok. */
export interface BgsaveNodeResult {
  nodeId: string;
  addr: string;
  ok: boolean;
  /** rdb_last_save_time before and after (unix s). */
  lastSaveBefore?: number;
  lastSaveAfter?: number;
  /** rdb_last_bgsave_time_sec: how long the save took on the node. */
  saveSeconds?: number;
  /** latest_fork_usec after the save: how long the fork blocked the node. */
  forkUsec?: number;
  /** From the request to the end of this node's save, ms. */
  ms: number;
  error?: string;
}

export interface BgsaveResult {
  nodes: BgsaveNodeResult[];
  saved: number;
  failed: number;
  ms: number;
}

/** What a config-set job was asked ("set on every node"; server/ops/configSet.ts). */
export interface ConfigSetParams {
  params: Record<string, string>;
  rewrite: boolean;
}

export interface ConfigSetNodeResult {
  id: string;
  addr: string;
  role: 'master' | 'replica';
  /** The values before the job, as CONFIG GET read them. */
  old: Record<string, string>;
  /** CONFIG REWRITE: true, false with `note` (no config file: set, not persisted), absent when not asked. */
  rewritten?: boolean;
  note?: string;
}

export interface ConfigSetResult {
  params: Record<string, string>;
  nodes: ConfigSetNodeResult[];
  ms: number;
}

/** What a rolling-restart job was asked. */
export interface RollingRestartParams {
  failBack: boolean;
  restartLoneMasters: boolean;
  skipNodeIds: string[];
}

/** The rolling restart's wait for the operator: what it watches on the node, phase by phase. */
export type RestartPhase = 'run_id change' | 'master_link_status:up' | 'no FAIL/PFAIL in the views, cluster_state:ok';

export interface RollingRestartLive {
  /** While a "restart <addr> now" step waits. */
  waiting?: {
    step: string;
    nodeId: string;
    addr: string;
    /** INFO server run_id when the step began. */
    runIdBefore: string;
    phase: RestartPhase;
    /** The node did not answer at some point since the step began (it was stopped). */
    seenDown: boolean;
    since: string;
  };
  /** Nodes restarted so far (seen, or marked done): kept when the job stops, so a new one can leave them out. */
  restarted?: string[];
  /** The last health check: before each step, and every poll while waiting. */
  health?: { ok: boolean; summary: string; at: string };
}

export interface RollingRestartResult {
  /** Node id -> run_id before and after (only nodes seen restarted). */
  restarted: Array<{ nodeId: string; addr: string; runIdBefore: string; runIdAfter: string }>;
  skipped: Array<{ nodeId: string; addr: string; why: string }>;
  failovers: number;
  ms: number;
}
