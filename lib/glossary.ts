/**
 * Plain words for the protocol's words. The screens show the plain label with the protocol word beside it, and the
 * explanation on hover/focus, so an engineer new to Redis Cluster and one who knows redis-cli read the same page.
 */
export interface GlossaryEntry {
  /** What the screen shows first. */
  label: string;
  /** One or two sentences: what it means and why it matters. */
  tip: string;
}

export const GLOSSARY = {
  PFAIL: {
    label: 'suspected down',
    tip: 'PFAIL: some nodes have had no reply from this node for longer than cluster-node-timeout. Not yet the cluster’s decision; it becomes FAIL when a majority of masters agree.',
  },
  FAIL: {
    label: 'down (cluster agreed)',
    tip: 'FAIL: a majority of masters agreed this node does not answer. If it is a master, one of its replicas is promoted.',
  },
  HANDSHAKE: {
    label: 'joining',
    tip: 'handshake: the node was met (CLUSTER MEET) and is not yet a full member.',
  },
  NOADDR: {
    label: 'address unknown',
    tip: 'noaddr: the cluster knows this node id but not its address.',
  },
  epoch: {
    label: 'config epoch',
    tip: 'configEpoch: the version of this shard’s slot ownership; when two masters claim a slot the higher epoch wins. A failover raises it.',
  },
  currentEpoch: {
    label: 'current epoch',
    tip: 'cluster_current_epoch: the highest epoch seen in the cluster; it rises with every failover and every bump.',
  },
  cluster_state: {
    label: 'Redis says',
    tip: 'cluster_state (CLUSTER INFO) as the nodes report it: ok while every slot has a master not marked FAIL. It stays ok while a master is only suspected (PFAIL) and its slots hang, so the health above comes from the findings.',
  },
  master_link_status: {
    label: 'replication link',
    tip: 'master_link_status (INFO replication): up while the replica receives its master’s write stream; down means it is falling behind or resyncing.',
  },
  link: {
    label: 'cluster bus link',
    tip: 'The link state in CLUSTER NODES: whether the cluster bus (port + 10000) connection to this node is up, as the reference node sees it.',
  },
  lag: {
    label: 'behind master',
    tip: 'Replication lag: master_repl_offset minus the replica’s offset, in bytes. Writes not yet replicated are lost if this replica is promoted after a crash.',
  },
  migrating: {
    label: 'moving out',
    tip: 'MIGRATING: keys of this slot are being moved from this node to another (a reshard in progress or interrupted).',
  },
  importing: {
    label: 'moving in',
    tip: 'IMPORTING: this node is receiving keys of this slot from another node.',
  },
  slot: {
    label: 'slot',
    tip: 'The keyspace is cut into 16384 hash slots (CRC16 of the key, or of its {hash tag}, mod 16384); each slot has one master.',
  },
  slotsPfail: {
    label: 'slots suspected down',
    tip: 'cluster_slots_pfail: slots whose master some nodes suspect (PFAIL). Requests to them may hang.',
  },
  slotsFail: {
    label: 'slots down',
    tip: 'cluster_slots_fail: slots whose master the cluster marks FAIL. Requests to them fail until a replica takes over.',
  },
  mastersWithSlots: {
    label: 'masters with slots',
    tip: 'cluster_size: masters that serve at least one slot (a master with no slots holds no data).',
  },
  unreachable: {
    label: 'unreachable from here',
    tip: 'The dashboard got no reply from this node. That is the dashboard’s path; the cluster’s own view (FAIL/PFAIL) says whether it is down.',
  },
  maxmemory: {
    label: 'memory limit',
    tip: 'maxmemory: the most memory Redis may use for data; past it, writes are refused or keys evicted (maxmemory-policy). 0 means no limit (the host’s RAM is the limit).',
  },
  opsPerSec: {
    label: 'commands/s',
    tip: 'instantaneous_ops_per_sec (INFO stats): commands this node processed per second, sampled by Redis over the last few seconds.',
  },
  clients: {
    label: 'clients',
    tip: 'connected_clients (INFO clients): open client connections, not counting replicas; blocked ones wait in BLPOP, WAIT and the like.',
  },
  uptime: {
    label: 'running for',
    tip: 'uptime_in_seconds (INFO server): time since this Redis process started. A short uptime means a recent restart.',
  },
  latencyMonitor: {
    label: 'latency monitor',
    tip: 'Redis’s own latency monitor (LATENCY LATEST): records events (command, fork, expire-cycle…) that took at least latency-monitor-threshold ms. A threshold of 0 turns it off.',
  },
  failover: {
    label: 'failover',
    tip: 'A replica was promoted to master of its shard (automatic after its master was marked FAIL, or manual with CLUSTER FAILOVER); its config epoch rises.',
  },
  restart: {
    label: 'restarted',
    tip: 'The node’s uptime_in_seconds went back: the process restarted, and holds only what it loaded from its RDB/AOF or got from its master.',
  },
  reshard: {
    label: 'reshard',
    tip: 'Moving hash slots, with their keys, from some masters to another (redis-cli --cluster reshard). Clients keep working: a key already moved is answered with ASK, pointing at the new master.',
  },
  openSlot: {
    label: 'open slot',
    tip: 'A slot left migrating on its source and/or importing on its target: its keys may be split between the two nodes until the move is finished or returned.',
  },
  MIGRATE: {
    label: 'copy-then-delete',
    tip: 'MIGRATE: the source node sends a batch of keys to the target and deletes them once the target acknowledged them; both nodes block while one batch is serialised.',
  },
  BUSYKEY: {
    label: 'key already on the target',
    tip: 'BUSYKEY: MIGRATE refused a key that already exists on the target. With the same value it is retried with REPLACE; with a different value the move stops and names the key, unless you chose to replace.',
  },
  bigKey: {
    label: 'big key',
    tip: 'A key of many MB (sampled with MEMORY USAGE). It moves alone in one MIGRATE, during which the source and the target answer nothing else: seconds for a very big key, which clients see as a stall and may count toward a failover.',
  },
  atomicMigration: {
    label: 'atomic slot migration',
    tip: 'Valkey 9 CLUSTER MIGRATESLOTS / Redis 8.4 CLUSTER MIGRATION: the server moves whole slots itself, with no ASK redirections and no window where a slot is half-moved. This dashboard moves keys with MIGRATE and reports whether the nodes offer it.',
  },
} as const satisfies Record<string, GlossaryEntry>;

export type GlossaryWord = keyof typeof GLOSSARY;
