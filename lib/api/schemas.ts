import { z } from 'zod';
import { HostPort } from '../config/schema';

export const LoginRequest = z.strictObject({
  username: z.string().min(1).max(64),
  password: z.string().max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const TargetCheckRequest = z.strictObject({ addr: HostPort });
export type TargetCheckRequest = z.infer<typeof TargetCheckRequest>;

/** POST /api/clusters/{id}/nodes (kind add-node); `confirm` is the address typed again. */
export const AddNodeRequest = z.strictObject({
  addr: HostPort,
  role: z.enum(['master', 'replica']),
  masterId: z
    .string()
    .regex(/^[0-9a-f]{40}$/, 'a 40-character node id')
    .optional(),
  confirm: z.string(),
});
export type AddNodeRequest = z.infer<typeof AddNodeRequest>;

/** POST /api/clusters/{id}/nodes/plan: the add-node preview (the target check and the planner's decision). */
export const AddNodePlanRequest = AddNodeRequest.omit({ confirm: true });
export type AddNodePlanRequest = z.infer<typeof AddNodePlanRequest>;

export const SetNodeTimeoutRequest = z.strictObject({
  timeoutMs: z.number().int().min(500).max(600_000),
  /** The cluster's name, typed by the operator. */
  confirm: z.string(),
});
export type SetNodeTimeoutRequest = z.infer<typeof SetNodeTimeoutRequest>;

/**
 * POST /api/clusters/{id}/config/set (kind config-set): CONFIG SET on every node, optionally CONFIG REWRITE;
 * `confirm` is the parameter names, joined by ", " (lib/nodeConfig/setPlan.ts configConfirmation).
 */
export const ConfigSetRequest = z.strictObject({
  params: z
    .record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a parameter name'), z.string().max(4096))
    .refine((p) => Object.keys(p).length >= 1 && Object.keys(p).length <= 20, '1 to 20 parameters'),
  rewrite: z.boolean().default(false),
  confirm: z.string(),
});
export type ConfigSetRequest = z.infer<typeof ConfigSetRequest>;

/** GET /api/clusters/{id}/config/set/plan?names=a,b: each node's current value of each parameter. */
export const ConfigSetPlanQuery = z.strictObject({
  names: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(z.string().regex(/^[a-z][a-z0-9-]*$/, 'a parameter name'))
        .min(1)
        .max(20),
    ),
});
export type ConfigSetPlanQuery = z.infer<typeof ConfigSetPlanQuery>;

export const BigKeysRequest = z.strictObject({
  /** One node; omitted = every shard (a healthy replica of each where there is one). */
  nodeId: z
    .string()
    .regex(/^[0-9a-f]{40}$/, 'a 40-character node id')
    .optional(),
  top: z.number().int().min(1).max(100).default(10),
});
export type BigKeysRequest = z.infer<typeof BigKeysRequest>;

/** Which nodes "BGSAVE every master" saves: the masters, or every node (replicas too). */
export const BgsaveScope = z.enum(['masters', 'all']);
export type BgsaveScope = z.infer<typeof BgsaveScope>;

/** POST /api/clusters/{id}/bgsave (kind bgsave). */
export const BgsaveRequest = z.strictObject({
  scope: BgsaveScope,
  /** How long one node's save may take before its step fails (the save itself goes on); default 900 s. */
  deadlineSec: z.number().int().min(5).max(86_400).optional(),
});
export type BgsaveRequest = z.infer<typeof BgsaveRequest>;

/** What GET /snapshot and /stream send: the whole snapshot, or only what the wall shows (always, to a kiosk). */
export const SnapshotView = z.enum(['full', 'wall']);
export type SnapshotView = z.infer<typeof SnapshotView>;

export const SnapshotQuery = z.strictObject({ view: SnapshotView.default('full') });
export type SnapshotQuery = z.infer<typeof SnapshotQuery>;

/** GET /stream: `delta=1` sends each snapshot after the first as what changed (lib/cluster/snapshotDelta.ts). */
export const StreamQuery = SnapshotQuery.extend({
  delta: z
    .enum(['0', '1'])
    .default('0')
    .transform((v) => v === '1'),
});
export type StreamQuery = z.infer<typeof StreamQuery>;

/** GET /api/jobs: newest first, from the store (up to 1,000 jobs are kept per cluster). */
export const JobsQuery = z.strictObject({
  clusterId: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
export type JobsQuery = z.infer<typeof JobsQuery>;

/** GET /api/audit: the newest entries, newest first. */
export const AuditQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const FailoverRequest = z.strictObject({
  replicaId: z.string().regex(/^[0-9a-f]{40}$/, 'a 40-character node id'),
  mode: z.enum(['default', 'force', 'takeover']).default('default'),
  /** The replica's node id, typed by the operator. */
  confirm: z.string(),
});
export type FailoverRequest = z.infer<typeof FailoverRequest>;

const NodeId = z.string().regex(/^[0-9a-f]{40}$/, 'a 40-character node id');
const Slot = z.number().int().min(0).max(16383);

export const ReshardOptions = z.strictObject({
  /** Overwrite a key the target already holds with another value (default: stop and name it). */
  replace: z.boolean().optional(),
  throttleKeysPerSec: z.number().int().min(1).max(100_000_000).optional(),
  /** Hold the move while the source's PING round trip is above this. */
  maxSourceLatencyMs: z.number().min(1).max(60_000).optional(),
});
export type ReshardOptions = z.infer<typeof ReshardOptions>;

const BySlots = z.strictObject({
  target: NodeId,
  /** [start, end] inclusive, as redis-cli writes them. */
  slots: z
    .array(z.tuple([Slot, Slot]))
    .min(1)
    .max(16384),
  options: ReshardOptions.optional(),
});
const ByCount = z.strictObject({
  target: NodeId,
  count: z.number().int().min(1).max(16384),
  sources: z.union([z.literal('all'), z.array(NodeId).min(1).max(1000)]),
  options: ReshardOptions.optional(),
});

/** POST /reshard/plan: a target and either slot ranges, or a number of slots from sources (as redis-cli reshard). */
export const ReshardRequest = z.union([BySlots, ByCount]);
export type ReshardRequest = z.infer<typeof ReshardRequest>;

/** POST /reshard: the same, with the cluster's name typed by the operator. */
export const ReshardStartRequest = z.union([
  BySlots.extend({ confirm: z.string() }),
  ByCount.extend({ confirm: z.string() }),
]);
export type ReshardStartRequest = z.infer<typeof ReshardStartRequest>;

/** POST /rebalance/plan: redis-cli's rebalance inputs, and what to balance (slots as redis-cli; keys or memory). */
export const RebalanceRequest = z.strictObject({
  /** Node id -> weight (default 1); 0 empties a master. */
  weights: z.record(NodeId, z.number().min(0).max(1_000_000)).optional(),
  /** Percent off its expected share a master may be before anything moves (redis-cli's default 2). */
  threshold: z.number().min(0).max(100).optional(),
  useEmptyMasters: z.boolean().optional(),
  by: z.enum(['slots', 'keys', 'memory']).optional(),
  options: ReshardOptions.pick({ throttleKeysPerSec: true, maxSourceLatencyMs: true }).optional(),
});
export type RebalanceRequest = z.infer<typeof RebalanceRequest>;

/** POST /rebalance: the same, with the cluster's name typed by the operator. */
export const RebalanceStartRequest = RebalanceRequest.extend({ confirm: z.string() });
export type RebalanceStartRequest = z.infer<typeof RebalanceStartRequest>;

/** POST /fix/plan: `redis-cli --cluster fix`'s one option (--cluster-fix-with-unreachable-masters; admin only). */
export const FixRequest = z.strictObject({ withUnreachableMasters: z.boolean().optional() });
export type FixRequest = z.infer<typeof FixRequest>;

/** POST /fix: the same, with the cluster's name typed by the operator. */
export const FixStartRequest = FixRequest.extend({ confirm: z.string() });
export type FixStartRequest = z.infer<typeof FixStartRequest>;

/** POST /drain/plan: every slot of a master to the others by weight. */
export const DrainPlanRequest = z.strictObject({
  nodeId: NodeId,
  weights: z.record(NodeId, z.number().min(0).max(1_000_000)).optional(),
  options: ReshardOptions.pick({ throttleKeysPerSec: true, maxSourceLatencyMs: true }).optional(),
});
export type DrainPlanRequest = z.infer<typeof DrainPlanRequest>;

/** POST /drain: the same, with the master's node id typed to confirm. */
export const DrainRequest = DrainPlanRequest.extend({ confirm: z.string() });
export type DrainRequest = z.infer<typeof DrainRequest>;

/** POST /api/clusters/{id}/nodes/{nodeId}/remove (kind remove-node): the node id typed to confirm. */
export const RemoveNodeRequest = z.strictObject({ confirm: z.string() });
export type RemoveNodeRequest = z.infer<typeof RemoveNodeRequest>;

/** GET /api/clusters/{id}/nodes/{nodeId}/replicate/plan: the master to move to; absent = the default choice. */
export const MoveReplicaPlanQuery = z.strictObject({ masterId: NodeId.optional() });
export type MoveReplicaPlanQuery = z.infer<typeof MoveReplicaPlanQuery>;

/** POST /api/clusters/{id}/nodes/{nodeId}/replicate (kind move-replica): the replica's node id typed to confirm. */
export const MoveReplicaRequest = z.strictObject({ masterId: NodeId, confirm: z.string() });
export type MoveReplicaRequest = z.infer<typeof MoveReplicaRequest>;

/** POST /api/clusters/{id}/rolling-restart/plan: the order the job would follow (changes nothing). */
export const RollingRestartPlanRequest = z.strictObject({
  failBack: z.boolean().default(false),
  /** Masters with slots and no replica: restart them anyway (their slots are unavailable meanwhile). */
  restartLoneMasters: z.boolean().default(false),
  /** Nodes left out (e.g. those a stopped rolling restart already restarted): neither restarted nor failed over. */
  skipNodeIds: z
    .array(z.string().regex(/^[0-9a-f]{40}$/, 'a 40-character node id'))
    .max(1000)
    .default([]),
});
export type RollingRestartPlanRequest = z.infer<typeof RollingRestartPlanRequest>;

/** POST /api/clusters/{id}/rolling-restart (kind rolling-restart); `confirm` is the cluster's name. */
export const RollingRestartRequest = RollingRestartPlanRequest.extend({ confirm: z.string() });
export type RollingRestartRequest = z.infer<typeof RollingRestartRequest>;

export const RESTART_ADVANCE = ['skip', 'done'] as const;
export type RestartAdvance = (typeof RESTART_ADVANCE)[number];
/** POST /api/jobs/{jobId}/advance: end the rolling restart's wait for a node (skip it, or mark it restarted). */
export const JobAdvanceRequest = z.strictObject({
  action: z.enum(RESTART_ADVANCE),
  /** The step the operator sees waiting; refused if the job has moved on. */
  step: z.string().max(300).optional(),
});
export type JobAdvanceRequest = z.infer<typeof JobAdvanceRequest>;
