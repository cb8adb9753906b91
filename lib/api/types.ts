import type { ClusterSnapshot } from '../cluster/types';
import type { JobState } from '../jobs/types';
import type { DeploymentKind, SentinelSnapshot } from '../sentinel/types';

/** Every API error, whatever the route: `{ error: { code, message } }`. */
export type ApiErrorCode =
  | 'bad_request'
  | 'confirmation_required'
  | 'unauthenticated'
  | 'forbidden'
  | 'read_only'
  | 'target_not_allowed'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'misdirected'
  | 'rate_limited'
  | 'not_ready'
  | 'internal';

export interface ApiErrorBody {
  /** `job`: on a 409 from the cluster's operation lock, the job that holds it. */
  error: { code: ApiErrorCode; message: string; fields?: string[]; job?: LockHolder };
}

/** The job holding a cluster's operation lock: one mutating operation per cluster at a time. */
export interface LockHolder {
  id: string;
  kind: string;
  state: JobState;
  startedBy: string;
  startedAt: string;
}

export interface ClusterSummary {
  id: string;
  name: string;
  /** A Redis Cluster, or a Sentinel deployment (GET /snapshot then answers a SentinelSnapshotResponse). */
  kind: DeploymentKind;
}

/** GET /api/clusters/{id}/snapshot for a Sentinel deployment: its latest poll, how old, how often refreshed. */
export type SentinelSnapshotResponse = SentinelSnapshot & { ageMs: number; pollIntervalMs: number };

/** GET /api/clusters/{id}/snapshot: the latest poll, how old it is, and how often it is refreshed. */
export type SnapshotResponse = ClusterSnapshot & {
  /** ms between collectedAt and the moment the server answered. */
  ageMs: number;
  pollIntervalMs: number;
};

/** One line of the audit log (JSON lines, append-only). */
export interface AuditEntry {
  /** ISO 8601, UTC. */
  at: string;
  user: string;
  role: string;
  /** e.g. "auth.login", "cluster.set-node-timeout", "target.check". */
  action: string;
  result: 'ok' | 'refused' | 'failed';
  /** HTTP status answered. */
  status: number;
  cluster?: string;
  targets?: string[];
  /**
   * Request parameters: the body schema's own fields only, strings cut at 200 characters, lists at 16 items,
   * secret-looking keys removed. A refused body: `{ body, keys, unknownKeys, invalid }` (counts and field names).
   */
  params?: Record<string, unknown>;
  reason?: string;
  durationMs: number;
  ip?: string;
}

/** The newest audit entries (GET /api/audit, the audit page), read from the end of the log in bounded memory. */
export interface AuditRead {
  /** Newest first. */
  entries: AuditEntry[];
  /** Rotated files next to the current one (<path>.1, .2, …); the export includes them. */
  olderFiles: number;
  /** Older entries exist than the ones returned. */
  truncated: boolean;
  /** Lines passed over: a torn line after a crash, or an over-long line written before lines were bounded. */
  skippedLines: number;
}

/** GET /api/auth/session */
export interface SessionInfo {
  user: string;
  role: 'viewer' | 'operator' | 'admin' | 'kiosk';
  readOnly: boolean;
}

/** POST /api/clusters/{id}/targets/check: what a node at an address says about itself, before adding it. */
export interface TargetCheckResult {
  addr: string;
  /** The address is already a member of this cluster. */
  member: boolean;
  reachable: boolean;
  error?: string;
  nodeId?: string;
  redisVersion?: string;
  clusterEnabled?: boolean;
  /** Nodes it knows (1 = a fresh node that belongs to no cluster yet). */
  knownNodes?: number;
  slotsAssigned?: number;
  /** cluster_my_epoch: non-zero once SET-CONFIG-EPOCH or a failover set it (RESET SOFT keeps it, HARD zeroes it). */
  configEpoch?: number;
  /** cluster_current_epoch (RESET SOFT keeps it too). */
  currentEpoch?: number;
  /** Keys over every db (INFO keyspace); an add-node refuses a node holding any (redis-cli: "is not empty"). */
  keys?: number;
  /** The cluster uses a password and the node answered AUTH with "no password is set": it would join open. */
  passwordless?: boolean;
  /** The address is inside the cluster's nodeNetworks (false: the dashboard would not poll it once it joined). */
  pollable?: boolean;
  /** A cluster-enabled node that knows only itself and owns no slots: ready to be added. */
  readyToJoin: boolean;
}

/** POST /api/clusters/{id}/config/node-timeout */
export interface SetNodeTimeoutResult {
  timeoutMs: number;
  nodes: Array<{ id: string; addr: string; ok: boolean; rewritten: boolean; error?: string }>;
}

/** GET /api/clusters/{id}/nodes/{nodeId}: the node as in the snapshot plus every INFO field by section. */
export interface NodeDetail {
  node: import('../cluster/types').SnapshotNode;
  infoSections: Record<string, Record<string, string>>;
}

/** GET /api/clusters/{id}/nodes/{nodeId}/slowlog */
export interface SlowlogResponse {
  nodeId: string;
  addr: string;
  entries: import('../redis/slowlog').SlowlogEntry[];
  /** The node refused SLOWLOG GET to the dashboard's user: no entries, and this says why. */
  notPermitted?: import('../redis/refusal').NotPermitted;
}

/** GET /api/clusters/{id}/slowlog: every node's slow log merged, and the nodes left out with why. */
export interface ClusterSlowlogResponse {
  entries: Array<import('../redis/slowlog').SlowlogEntry & { nodeId: string; addr: string }>;
  skipped: Array<{
    nodeId: string;
    addr: string;
    notPermitted?: import('../redis/refusal').NotPermitted;
    error?: string;
  }>;
}

/** GET /api/clusters/{id}/keyslot?key= */
export interface KeySlotResponse {
  key: string;
  /** The hashed part when the key has a non-empty {tag}; null otherwise. */
  hashTag: string | null;
  slot: number;
  masterId: string | null;
  replicaIds: string[];
}

/** GET /api/clusters/{id}/slots/{slot} */
export interface SlotDetail {
  slot: number;
  masterId: string | null;
  replicaIds: string[];
  /** CLUSTER COUNTKEYSINSLOT on the owner; null when it could not be asked. */
  keys: number | null;
  error?: string;
  /** The owner refused CLUSTER COUNTKEYSINSLOT to the dashboard's user. */
  notPermitted?: import('../redis/refusal').NotPermitted;
  migrating?: { from: string; to: string };
}

/** GET /api/clusters/{id}/nodes/{nodeId}/links: CLUSTER LINKS, or why not. */
export interface ClusterLinksResponse {
  nodeId: string;
  supported: boolean;
  links: import('../redis/clusterLinks').ClusterLink[];
  error?: string;
  /** The node refused CLUSTER LINKS to the dashboard's user. */
  notPermitted?: import('../redis/refusal').NotPermitted;
}
