import type { GuidedFailoverRunning, MasterChange } from './masterChanges';

/**
 * A Sentinel deployment as one poll saw it: what every sentinel says, what every data node says of itself, and what
 * HAProxy routes to. Addresses are "host:port" as the sentinels name them (natMap applied only to dial).
 * GET /api/clusters/{id}/snapshot answers this (plus ageMs and pollIntervalMs) for a deployment of kind "sentinel".
 */
export interface SentinelSnapshot {
  kind: 'sentinel';
  /** The deployment's id and name (named as for clusters, so the shared screens read both alike). */
  clusterId: string;
  clusterName: string;
  /** The name the sentinels monitor the master by. */
  masterName: string;
  /** ISO 8601, when the poll started. */
  collectedAt: string;
  /** How long the poll took. */
  durationMs: number;
  /**
   * The master the reachable sentinels name (GET-MASTER-ADDR-BY-NAME), the most-named one when they disagree;
   * null when no sentinel answers. Its own INFO is in `node`.
   */
  master: SentinelDataNode | null;
  /**
   * Additive (I): when no sentinel answers (master null), the master the last answering poll named, as it answers now
   * (its own INFO role); never listed under replicas. Absent otherwise.
   */
  lastKnownMaster?: SentinelDataNode;
  /**
   * Every other data node: the replicas the sentinels list, and replicas the master lists that no sentinel knows; with
   * no sentinel answering, the last poll's replicas.
   */
  replicas: SentinelDataNode[];
  sentinels: SentinelView[];
  /** Whether the reachable sentinels agree on the master (one address named by all of them). */
  agreement: { agreed: boolean; addrs: string[]; reachable: number; total: number };
  /** HAProxy's view of the backend, when `haproxy` is configured. */
  haproxy?: HaproxyView;
  /** Additive (J): the master changes this dashboard process saw, oldest first (in memory; at most 20). */
  masterChanges?: MasterChange[];
  /** Additive (J): a guided sentinel-failover job running on the deployment at this poll. */
  guidedFailover?: GuidedFailoverRunning;
}

/** A Redis or Valkey data node of the deployment: the sentinels' view of it, and its own INFO. */
export interface SentinelDataNode {
  /** "host:port" as the sentinels (or the master's INFO) name it. */
  addr: string;
  /** Where the dashboard dials it (natMap applied); omitted when the same as addr. */
  connectAddr?: string;
  host: string;
  /** The poll reached it and it answered INFO. */
  reachable: boolean;
  /** Why it was not reached ("connection refused", "timed out after 1000 ms", "NOAUTH …"). */
  error?: string;
  /**
   * Additive (E): not polled: the address the dashboard would dial is outside the deployment's nodeNetworks, so it is
   * never connected to (the data nodes' password never goes there); reachable is false and error says so.
   */
  outsideNodeNetworks?: true;
  /** What the node says of itself (INFO replication role); null when unreachable. */
  role: 'master' | 'replica' | null;
  /** For a replica: the master it replicates from (its own master_host:master_port). */
  masterAddr?: string;
  /** For a replica: master_link_status. */
  linkUp?: boolean;
  /** For a replica: seconds since the last interaction with its master (master_last_io_seconds_ago). */
  lastIoSeconds?: number;
  /** master_repl_offset (a master) or slave_repl_offset (a replica). */
  offset?: number;
  /** For a replica: the master's offset minus this replica's, in bytes (from the master's INFO). */
  lagBytes?: number;
  /** Additive (B): for a replica, seconds since its last ACK to the master (the master's INFO slaveN lag=). */
  lagSeconds?: number;
  /** For a replica: replica-priority as the sentinels report it (0 = never promoted). */
  priority?: number;
  /** INFO server run_id (Sentinel breaks a tie between equal replicas by the smallest run id). */
  runId?: string;
  /**
   * For a replica, from SENTINEL REPLICAS (the sentinels' own view, the least favourable over the sentinels):
   * ms since the sentinel's last INFO from it (info-refresh), since its last valid PING reply (last-ok-ping-reply),
   * and how long its link to the master has been down (master-link-down-time). Sentinel skips a replica on these.
   */
  infoRefreshMs?: number;
  lastOkPingMs?: number;
  masterLinkDownMs?: number;
  /** How many of the reachable sentinels list this node (as master or replica). */
  knownBySentinels: number;
  /** Flags the sentinels report for it, merged (e.g. "s_down", "o_down", "disconnected", "master_down"). */
  sentinelFlags: string[];
  /** min-replicas-to-write on a master: a number, or null when CONFIG GET was refused (say so, never guess). */
  minReplicasToWrite?: number | null;
  /** min-replicas-max-lag when read. */
  minReplicasMaxLag?: number | null;
  /** Additive (B): why CONFIG GET min-replicas-* could not be read ("CONFIG GET: not permitted", disabled…). */
  configError?: string;
  /** Additive (B): the master's INFO lists this replica (a replica no sentinel knows has knownBySentinels 0). */
  listedByMaster?: boolean;
  /** INFO fields, when reachable. */
  version?: string;
  uptimeSeconds?: number;
  usedMemory?: number;
  maxMemory?: number;
  opsPerSec?: number;
  connectedClients?: number;
  connectedReplicas?: number;
  /** INFO keyspace, keys summed over the databases. */
  keys?: number;
  /** Round trip of the poll's INFO in ms. */
  latencyMs?: number;
}

/** One sentinel, as it answered this poll. */
export interface SentinelView {
  addr: string;
  host: string;
  reachable: boolean;
  error?: string;
  /** GET-MASTER-ADDR-BY-NAME: the master this sentinel believes in; null when unreachable or it does not know it. */
  masterAddr: string | null;
  /** Round trip of this poll's PING, ms. */
  latencyMs?: number;
  /** When this poll's answer came (ms since the epoch): "last ok ping" as the dashboard saw it. */
  lastOkAt?: number;
  /** ms since another sentinel last got a PING reply from it (SENTINEL SENTINELS of the others), the smallest. */
  lastOkPingReplyMs?: number;
  /** From SENTINEL MASTER <name>. */
  quorum?: number;
  downAfterMs?: number;
  failoverTimeoutMs?: number;
  parallelSyncs?: number;
  configEpoch?: number;
  /** The master's flags in this sentinel's view ("master", "s_down", "o_down", "failover_in_progress"…). */
  masterFlags?: string[];
  /**
   * Additive (E): the address SENTINEL MASTER names (its ip:port), the node masterFlags describe. During a failover it
   * differs from masterAddr: GET-MASTER-ADDR-BY-NAME already answers the promoted replica while SENTINEL MASTER still
   * describes the old master (o_down, failover_in_progress) until +switch-master.
   */
  masterFlagsAddr?: string;
  /** num-other-sentinels + 1. */
  sentinelsKnown?: number;
  /** num-slaves. */
  replicasKnown?: number;
  /** SENTINEL CKQUORUM <name>: ok and the sentinel's own sentence. */
  ckquorum?: { ok: boolean; message: string };
  /** Addresses of the other sentinels it knows (SENTINEL SENTINELS). */
  peers?: string[];
  /** Addresses of the replicas it lists (SENTINEL REPLICAS). */
  replicaAddrs?: string[];
  version?: string;
}

/** HAProxy's stats for the configured backend. */
export interface HaproxyView {
  backend: string;
  /** "socket" (show stat) or "url" (CSV). */
  source: 'socket' | 'url';
  reachable: boolean;
  error?: string;
  /** The BACKEND row's status ("UP", "DOWN"). */
  backendStatus?: string;
  servers: HaproxyServer[];
  /** Additive (J): when the stats last answered (ISO 8601), kept by the poller across failed reads. */
  lastOkAt?: string;
  /** Additive (J): when this read failed, the poll (ISO 8601) whose read failed first since lastOkAt. */
  failingSince?: string;
  /** Additive (J): when this read failed, the servers as last read (at lastOkAt); never taken for the present. */
  lastServers?: HaproxyServer[];
}

export interface HaproxyServer {
  /** svname. */
  name: string;
  /** "host:port" HAProxy sends to (the stats' addr column). */
  addr?: string;
  /** The data node of the deployment at that address, when one matches. */
  nodeAddr?: string;
  /** HAProxy's status: "UP", "DOWN", "UP 1/2", "DOWN 1/2", "MAINT", "NOLB", "no check". */
  status: string;
  /**
   * Routed to: an active server that is UP (or "no check"); when no active one is, the first UP backup (HAProxy's
   * default; see allbackupsRouted).
   */
  routed: boolean;
  backup: boolean;
  /**
   * Additive (I): an UP backup other than the first while no active server is UP: HAProxy routes to it too only when the
   * backend has `option allbackups`, which the stats do not show.
   */
  allbackupsRouted?: boolean;
  /**
   * check_status, and the check's detail: last_chk when HAProxy gives it (e.g. "TCPCHK did not match content
   * 'role:master' at step 5"), else check_desc (a fixed label such as "Layer7 invalid response").
   */
  checkStatus?: string;
  checkDesc?: string;
  /** Current and total sessions. */
  sessions?: number;
  totalSessions?: number;
  /** Seconds since the last status change (lastchg). */
  lastChangeSeconds?: number;
}

/** The deployments list entry: GET /api/clusters carries `kind` for every entry. */
export type DeploymentKind = 'cluster' | 'sentinel';
