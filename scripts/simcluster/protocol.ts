// What the parent (index.ts) and the simulator process (server.ts) say to each other over the IPC channel.

export interface SimClusterOptions {
  masters: number;
  replicasPerMaster: number;
  /** requirepass of every node: commands before AUTH get NOAUTH, as on redis-server. */
  password?: string;
  /** Loopback addresses standing for hosts; nodes spread over them, a replica never on its master's host. */
  hosts?: string[];
  /** cluster-node-timeout the nodes report (CONFIG GET) and pong ages follow (at most half of it). */
  nodeTimeoutMs?: number;
  /** redis_version in INFO server (7.0.15, the Debian redis-server the real-node tests run). */
  version?: string;
  /** maxmemory of every node (INFO memory, CONFIG GET); default 4 GiB, as a production node sets one. 0 = none. */
  maxmemoryBytes?: number;
  /** Entries each node keeps in its slow log (SLOWLOG GET / LEN); default 3. */
  slowlogEntries?: number;
}

export type SimRole = 'master' | 'replica';
export type SimFlag = 'pfail' | 'fail' | 'ok';

export interface SimNodeInfo {
  id: string;
  host: string;
  port: number;
  /** host:port, as the dashboard's seeds and snapshots name a node. */
  addr: string;
  role: SimRole;
  /** For a replica: the id of the master it replicates now. */
  masterId?: string;
  /** Failure state the simulator gave the node (what the other nodes' views say of it). */
  failure: SimFlag;
  hung: boolean;
  down: boolean;
}

export interface FlagOptions {
  /**
   * With 'fail' on a master that serves slots: its first healthy replica wins an election (currentEpoch + 1 as its
   * config epoch), takes the slots, and the master's other replicas follow it, as replica migration does. With 'ok'
   * later the old master comes back as a replica of the promoted one.
   */
  promote?: boolean;
  /**
   * Spread the change over this many ms the way gossip does: each other node adopts it at its own moment in the
   * window (with 'fail', first as PFAIL), so for a while the views disagree; a 'fail' becomes FAIL everywhere, and a
   * promotion happens, at the end of the window. Default 0: every view changes at once.
   */
  spreadMs?: number;
}

export type SimRequest =
  | { op: 'start'; options: SimClusterOptions }
  | { op: 'flag'; nodeId: string; flag: SimFlag; options: FlagOptions }
  | { op: 'hang'; nodeId: string; on: boolean }
  | { op: 'down'; nodeId: string; on: boolean }
  | { op: 'openSlot'; slot: number; fromId: string; toId: string }
  | { op: 'closeSlot'; slot: number }
  | { op: 'nodes' }
  | { op: 'cpu' }
  | { op: 'stats' };

export interface SimStats {
  commands: number;
  connections: number;
  /** Bytes of replies written. */
  bytesOut: number;
}

export type SimResult =
  | { op: 'nodes'; nodes: SimNodeInfo[] }
  | { op: 'cpu'; userMs: number; systemMs: number }
  | { op: 'stats'; stats: SimStats };

export type SimReply =
  | { requestId: number; ok: true; result: SimResult }
  | { requestId: number; ok: false; error: string };

export interface SimEnvelope {
  requestId: number;
  request: SimRequest;
}
