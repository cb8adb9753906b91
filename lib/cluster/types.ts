import type { ClusterInfo } from '../redis/clusterInfo';
import type { ClusterNodeLine } from '../redis/clusterNodes';
import type { ParsedInfo } from '../redis/info';
import type { NodePersistence } from '../redis/persistence';
import type { SlotRange } from '../redis/slots';

export type NodeRole = 'master' | 'replica' | 'unknown';

/** LATENCY LATEST events and INFO latencystats percentiles (ms) of one node, read every so often. */
export interface NodeLatency {
  events: import('../redis/latency').LatencyEvent[];
  percentiles: Record<string, { p50: number; p99: number; p999: number }>;
  /** LATENCY LATEST answered (it is empty while latency-monitor-threshold is 0). */
  monitorEnabled: boolean;
  /**
   * latency-monitor-threshold in ms (CONFIG GET): 0 = the monitor is off. Absent when it could not be read (CONFIG GET
   * refused or not asked): the monitor's state is then unknown.
   */
  thresholdMs?: number;
}

/** What one poll of one address gave: parsed replies, or why there are none. */
export type NodeReport =
  | {
      addr: string;
      ok: true;
      rttMs: number;
      nodes: ClusterNodeLine[];
      /** Undefined when CLUSTER INFO was refused (ACL) or answered with something unreadable. */
      clusterInfo?: ClusterInfo;
      info: ParsedInfo;
      /** summarizeInfo(info), when the collector made it as the reply came (info is then parsed only if read). */
      infoSummary?: NodeInfoSummary;
      /** CONFIG GET cluster-* (refreshed every so often, not every poll); undefined when not allowed or not yet read. */
      clusterConfig?: Record<string, string>;
      latency?: NodeLatency;
      /** Optional commands this node refused in this poll (or recently, so they are not retried every poll). */
      refused?: RefusedCommand[];
      /** COUNTKEYSINSLOT answers of this poll: slot -> keys this node holds in it. */
      slotKeys?: Record<number, number>;
      /**
       * Set when `nodes` may hold lines shared with other views or earlier polls (the collector parses a view only when
       * it changed beyond its ping/pong times, and shares identical lines): the same view parsed on its own, with this
       * poll's ping-sent / pong-recv. Asked only for the views a snapshot places nodes by.
       */
      freshLines?: () => ClusterNodeLine[];
      /** `nodes` is the view this node gave at an earlier poll (large clusters read a share of views per poll). */
      viewFromEarlierPoll?: true;
    }
  | {
      addr: string;
      ok: false;
      error: string;
      rttMs?: number;
      /** Not asked at all: the address is outside the cluster's nodeNetworks. */
      outsideNodeNetworks?: true;
    };

/** The INFO fields the overview uses, as numbers where they are numbers. Source field names kept as Redis spells them. */
export interface NodeInfoSummary {
  redis_version: string;
  /** "redis" or "valkey" (INFO server_name on Valkey). */
  server_name: string;
  uptime_in_seconds: number;
  used_memory: number;
  used_memory_rss: number;
  maxmemory: number;
  maxmemory_policy: string;
  instantaneous_ops_per_sec: number;
  total_commands_processed: number;
  total_net_input_bytes: number;
  total_net_output_bytes: number;
  connected_clients: number;
  blocked_clients: number;
  keyspace_hits: number;
  keyspace_misses: number;
  evicted_keys: number;
  expired_keys: number;
  master_repl_offset: number;
  /** Replicas only. */
  slave_repl_offset?: number;
  master_link_status?: string;
  /** Replicas only, while the link to the master is down: seconds since it went down (INFO replication). */
  master_link_down_since_seconds?: number;
  connected_slaves: number;
  /** Sum of keys over every db of INFO keyspace. */
  keys: number;
  /** RDB/AOF state (INFO persistence, latest_fork_usec from INFO stats); lib/redis/persistence.ts names each field. */
  persistence?: NodePersistence;
}

export interface SnapshotNode {
  id: string;
  /** Announced address, as CLUSTER NODES prints it ("" port 0 for noaddr). */
  addr: string;
  host: string;
  port: number;
  hostname?: string;
  /** The address the dashboard connects to, when the NAT map rewrites it. */
  connectAddr?: string;
  role: NodeRole;
  masterId: string | null;
  /** CLUSTER NODES flags as the cluster sees this node (reference view), "myself" removed. */
  flags: string[];
  /**
   * Ids of the answering nodes whose own view flags this node FAIL / PFAIL ("fail?"). FAIL is set only once a majority
   * of masters agreed; these say who reports it, so a minority side's view is never hidden behind the reference's.
   */
  failSeenBy?: string[];
  pfailSeenBy?: string[];
  /** The role this node reports for itself differs from the reference view's: both shown, the node's own wins. */
  roleInReference?: NodeRole;
  /** This node's own cluster_state (its CLUSTER INFO), when it answered and CLUSTER INFO was permitted. */
  clusterState?: string;
  /**
   * Optional commands this node refused to the configured user (ACL NOPERM, renamed or disabled command). A refusal
   * degrades one feature and never makes the node unreachable.
   */
  refused?: RefusedCommand[];
  /** Listed by some answering node's view but not by the reference view (e.g. forgotten by most nodes). */
  notInReference?: boolean;
  /** Replicas this node's own view lists whose master that view does not know (redis-cli: "slave of unknown node"). */
  unknownMasters?: Array<{ replicaId: string; masterId: string }>;
  /** Keys evicted per second between the last two polls (INFO evicted_keys delta); undefined before two samples. */
  evictedPerSec?: number;
  linkState: 'connected' | 'disconnected';
  configEpoch: number;
  pingSentMs: number;
  pongRecvMs: number;
  slots: SlotRange[];
  slotCount: number;
  migrating: Array<{ slot: number; to: string }>;
  importing: Array<{ slot: number; from: string }>;
  /** The dashboard got this node's replies within the deadline in this poll. */
  reachable: boolean;
  /**
   * The dashboard does not connect to this node: its address is outside the cluster's nodeNetworks (shown from the
   * other nodes' views; `error` says "not polled: <addr> is outside nodeNetworks").
   */
  outsideNodeNetworks?: true;
  error?: string;
  /** Round trip of this poll's commands, ms. */
  rttMs?: number;
  info?: NodeInfoSummary;
  /** This node's CONFIG GET cluster-* values (cluster-node-timeout, cluster-require-full-coverage, ...) and `save`. */
  clusterConfig?: Record<string, string>;
  /** Latency monitor events and per-command percentiles, refreshed every few seconds. */
  latency?: NodeLatency;
  /**
   * A short hash of this node's own view of slot ownership (who owns which slots), as redis-cli --cluster check
   * compares them; reachable nodes with different values disagree about the configuration.
   */
  viewSignature?: string;
}

/** A command a node refused: `command` as ACL spells it ("cluster|links"), the feature it costs, and why. */
export interface RefusedCommand {
  command: string;
  feature: string;
  reason: string;
}

export type ClusterStatus = 'ok' | 'fail' | 'unknown';

export interface ClusterSnapshot {
  clusterId: string;
  clusterName: string;
  /** ISO 8601, when this poll started. */
  collectedAt: string;
  pollDurationMs: number;
  /** cluster_state as the reference node reports it; "unknown" when no node answered. */
  status: ClusterStatus;
  /** CLUSTER INFO fields of the reference node; empty when no node answered. */
  state: ClusterInfo;
  /** The reachable node whose CLUSTER NODES view the snapshot is built on (highest current epoch). */
  referenceNodeId: string | null;
  nodes: SnapshotNode[];
  /** Addresses polled that are not (yet) identified as members, e.g. an unreachable seed. */
  unidentified: Array<{ addr: string; error?: string }>;
  /** The ACL user the dashboard polls as ("default" when none is configured), for "not permitted for user X". */
  user?: string;
  /**
   * Keys held per node id in slots worth a second look (open slots, slots whose owner the views disagree on), from
   * CLUSTER COUNTKEYSINSLOT on the nodes that do not own them, as redis-cli --cluster check does.
   */
  slotKeyCounts?: Array<{ slot: number; keys: Record<string, number> }>;
  summary: {
    nodes: number;
    masters: number;
    replicas: number;
    reachable: number;
    slotsCovered: number;
  };
}

export type { ClusterInfo, ClusterNodeLine, ParsedInfo, SlotRange };
