// INFO as redis-server 7.0 writes it (same sections, fields and order; ~5 KB), with the replication section following
// the simulated topology. The default reply is cached per node for the current second and topology generation.
import type { SimNode, SimTopology } from './topology';

const DEFAULT_SECTIONS = [
  'server',
  'clients',
  'memory',
  'persistence',
  'stats',
  'replication',
  'cpu',
  'modules',
  'errorstats',
  'cluster',
  'keyspace',
] as const;
const ALL_SECTIONS = [...DEFAULT_SECTIONS.filter((s) => s !== 'modules'), 'commandstats', 'latencystats'];
const EVERYTHING = [...DEFAULT_SECTIONS, 'commandstats', 'latencystats'];

type Section = (node: SimNode, now: number) => string[];

const human = (bytes: number) =>
  bytes >= 1 << 30
    ? `${(bytes / (1 << 30)).toFixed(2)}G`
    : bytes >= 1 << 20
      ? `${(bytes / (1 << 20)).toFixed(2)}M`
      : bytes >= 1024
        ? `${(bytes / 1024).toFixed(2)}K`
        : `${bytes}B`;

/** Commands the simulated nodes report having served (commandstats, latencystats). */
const COMMANDS = ['cluster|nodes', 'cluster|info', 'info', 'ping', 'config|get', 'slowlog|get', 'latency|latest'];

export class InfoViews {
  private readonly cache = new Map<number, { second: number; generation: number; text: string }>();
  private readonly sections: Record<string, Section>;

  constructor(
    private readonly topology: SimTopology,
    private readonly version: string,
    private readonly maxmemory: number,
  ) {
    this.sections = {
      server: (n, now) => this.server(n, now),
      clients: (n) => this.clients(n),
      memory: (n) => this.memory(n),
      persistence: (n, now) => this.persistence(n, now),
      stats: (n, now) => this.stats(n, now),
      replication: (n, now) => this.replication(n, now),
      cpu: (n, now) => this.cpu(n, now),
      modules: () => [],
      errorstats: () => ['errorstat_MOVED:count=47', 'errorstat_NOAUTH:count=1'],
      cluster: () => ['cluster_enabled:1'],
      keyspace: () => [],
      commandstats: (n, now) => this.commandstats(n, now),
      latencystats: (n) => this.latencystats(n),
    };
  }

  /** INFO [section ...]: unknown section names are left out (an empty reply when none is known), as redis does. */
  text(node: SimNode, now: number, args: readonly string[]): string {
    const wanted = args.map((a) => a.toLowerCase());
    if (wanted.length === 0 || (wanted.length === 1 && wanted[0] === 'default')) return this.defaultText(node, now);
    const names = new Set<string>();
    for (const w of wanted) {
      if (w === 'all') for (const s of ALL_SECTIONS) names.add(s);
      else if (w === 'everything') for (const s of EVERYTHING) names.add(s);
      else if (w === 'default') for (const s of DEFAULT_SECTIONS) names.add(s);
      else if (w in this.sections) names.add(w);
    }
    return this.render(
      node,
      now,
      EVERYTHING.filter((s) => names.has(s)),
    );
  }

  private defaultText(node: SimNode, now: number): string {
    const second = Math.floor(now / 1000);
    const cached = this.cache.get(node.index);
    if (cached && cached.second === second && cached.generation === this.topology.generation) return cached.text;
    const text = this.render(node, now, DEFAULT_SECTIONS);
    this.cache.set(node.index, { second, generation: this.topology.generation, text });
    return text;
  }

  private render(node: SimNode, now: number, names: readonly string[]): string {
    const blocks: string[] = [];
    for (const name of names) {
      const section = this.sections[name];
      if (!section) continue;
      const title = name === 'cpu' ? 'CPU' : name.charAt(0).toUpperCase() + name.slice(1);
      blocks.push([`# ${title}`, ...section(node, now)].join('\r\n'));
    }
    return blocks.length ? `${blocks.join('\r\n\r\n')}\r\n` : '';
  }

  private uptime(n: SimNode, now: number): number {
    return Math.floor((now - n.startedAt) / 1000);
  }

  private server(n: SimNode, now: number): string[] {
    const up = this.uptime(n, now);
    return [
      `redis_version:${this.version}`,
      'redis_git_sha1:00000000',
      'redis_git_dirty:0',
      'redis_build_id:ae4d7c971a948f0',
      'redis_mode:cluster',
      'os:Linux 6.1.0-13-amd64 x86_64',
      'arch_bits:64',
      'monotonic_clock:POSIX clock_gettime',
      'multiplexing_api:epoll',
      'atomicvar_api:c11-builtin',
      'gcc_version:12.2.0',
      `process_id:${n.pid}`,
      'process_supervised:no',
      `run_id:${n.runId}`,
      `tcp_port:${n.port}`,
      `server_time_usec:${now * 1000}`,
      `uptime_in_seconds:${up}`,
      `uptime_in_days:${Math.floor(up / 86400)}`,
      'hz:10',
      'configured_hz:10',
      `lru_clock:${Math.floor(now / 1000) % 16777216}`,
      'executable:/usr/bin/redis-server',
      `config_file:/etc/redis/${n.port}/redis.conf`,
      'io_threads_active:0',
    ];
  }

  private clients(n: SimNode): string[] {
    return [
      `connected_clients:${2 + (n.index % 3)}`,
      `cluster_connections:${2 * (this.topology.nodes.length - 1)}`,
      'maxclients:10000',
      'client_recent_max_input_buffer:20480',
      'client_recent_max_output_buffer:0',
      'blocked_clients:0',
      'tracking_clients:0',
      'clients_in_timeout_table:0',
    ];
  }

  private memory(n: SimNode): string[] {
    const links = 1088 * (this.topology.nodes.length - 1);
    const used = 1_600_000 + links + ((n.index * 7919) % 400_000);
    const rss = 12_000_000 + ((n.index * 104_729) % 4_000_000);
    return [
      `used_memory:${used}`,
      `used_memory_human:${human(used)}`,
      `used_memory_rss:${rss}`,
      `used_memory_rss_human:${human(rss)}`,
      `used_memory_peak:${used + 1024}`,
      `used_memory_peak_human:${human(used + 1024)}`,
      'used_memory_peak_perc:99.95%',
      `used_memory_overhead:${used - 250_000}`,
      'used_memory_startup:1600152',
      'used_memory_dataset:250000',
      'used_memory_dataset_perc:87.79%',
      `allocator_allocated:${used + 500_000}`,
      `allocator_active:${used + 900_000}`,
      `allocator_resident:${used + 3_600_000}`,
      'total_system_memory:25276502016',
      'total_system_memory_human:23.54G',
      'used_memory_lua:32768',
      'used_memory_vm_eval:32768',
      'used_memory_lua_human:32.00K',
      'used_memory_scripts_eval:0',
      'number_of_cached_scripts:0',
      'number_of_functions:0',
      'number_of_libraries:0',
      'used_memory_vm_functions:33792',
      'used_memory_vm_total:66560',
      'used_memory_vm_total_human:65.00K',
      'used_memory_functions:200',
      'used_memory_scripts:200',
      'used_memory_scripts_human:200B',
      `maxmemory:${this.maxmemory}`,
      `maxmemory_human:${human(this.maxmemory)}`,
      'maxmemory_policy:noeviction',
      'allocator_frag_ratio:1.15',
      'allocator_frag_bytes:372712',
      'allocator_rss_ratio:1.92',
      'allocator_rss_bytes:2686976',
      'rss_overhead_ratio:2.31',
      'rss_overhead_bytes:7360512',
      `mem_fragmentation_ratio:${(rss / used).toFixed(2)}`,
      `mem_fragmentation_bytes:${rss - used}`,
      'mem_not_counted_for_evict:0',
      'mem_replication_backlog:20508',
      'mem_total_replication_buffers:20504',
      'mem_clients_slaves:0',
      'mem_clients_normal:1800',
      `mem_cluster_links:${links}`,
      'mem_aof_buffer:0',
      'mem_allocator:jemalloc-5.3.0',
      'active_defrag_running:0',
      'lazyfree_pending_objects:0',
      'lazyfreed_objects:0',
    ];
  }

  private persistence(n: SimNode, now: number): string[] {
    const lastSave = Math.floor((now - ((now + n.phase * 10) % 3_600_000)) / 1000);
    return [
      'loading:0',
      'async_loading:0',
      'current_cow_peak:0',
      'current_cow_size:0',
      'current_cow_size_age:0',
      'current_fork_perc:0.00',
      'current_save_keys_processed:0',
      'current_save_keys_total:0',
      'rdb_changes_since_last_save:0',
      'rdb_bgsave_in_progress:0',
      `rdb_last_save_time:${lastSave}`,
      'rdb_last_bgsave_status:ok',
      'rdb_last_bgsave_time_sec:0',
      'rdb_current_bgsave_time_sec:-1',
      'rdb_saves:1',
      'rdb_last_cow_size:356352',
      'rdb_last_load_keys_expired:0',
      'rdb_last_load_keys_loaded:0',
      'aof_enabled:0',
      'aof_rewrite_in_progress:0',
      'aof_rewrite_scheduled:0',
      'aof_last_rewrite_time_sec:-1',
      'aof_current_rewrite_time_sec:-1',
      'aof_last_bgrewrite_status:ok',
      'aof_rewrites:0',
      'aof_rewrites_consecutive_failures:0',
      'aof_last_write_status:ok',
      'aof_last_cow_size:0',
      'module_fork_in_progress:0',
      'module_fork_last_cow_size:0',
    ];
  }

  private stats(n: SimNode, now: number): string[] {
    const up = this.uptime(n, now);
    const commands = up * 4 + n.phase;
    return [
      `total_connections_received:${50 + (n.index % 50)}`,
      `total_commands_processed:${commands}`,
      `instantaneous_ops_per_sec:${3 + (((now / 1000 + n.index) % 3) | 0)}`,
      `total_net_input_bytes:${commands * 40}`,
      `total_net_output_bytes:${commands * 4000}`,
      'total_net_repl_input_bytes:0',
      `total_net_repl_output_bytes:${up * 10}`,
      'instantaneous_input_kbps:0.17',
      'instantaneous_output_kbps:12.58',
      'instantaneous_input_repl_kbps:0.00',
      'instantaneous_output_repl_kbps:0.01',
      'rejected_connections:0',
      `sync_full:${n.role === 'master' ? this.topology.replicasOf(n).length : 0}`,
      'sync_partial_ok:0',
      'sync_partial_err:0',
      'expired_keys:0',
      'expired_stale_perc:0.00',
      'expired_time_cap_reached_count:0',
      'expire_cycle_cpu_milliseconds:0',
      'evicted_keys:0',
      'evicted_clients:0',
      'total_eviction_exceeded_time:0',
      'current_eviction_exceeded_time:0',
      'keyspace_hits:0',
      'keyspace_misses:0',
      'pubsub_channels:0',
      'pubsub_patterns:0',
      'pubsubshard_channels:0',
      'latest_fork_usec:448',
      'total_forks:1',
      'migrate_cached_sockets:0',
      'slave_expires_tracked_keys:0',
      'active_defrag_hits:0',
      'active_defrag_misses:0',
      'active_defrag_key_hits:0',
      'active_defrag_key_misses:0',
      'total_active_defrag_time:0',
      'current_active_defrag_time:0',
      'tracking_total_keys:0',
      'tracking_total_items:0',
      'tracking_total_prefixes:0',
      'unexpected_error_replies:0',
      'total_error_replies:48',
      'dump_payload_sanitizations:0',
      `total_reads_processed:${commands + 100}`,
      `total_writes_processed:${commands + 99}`,
      'io_threaded_reads_processed:0',
      'io_threaded_writes_processed:0',
      'reply_buffer_shrinks:2',
      'reply_buffer_expands:0',
    ];
  }

  private replication(n: SimNode, now: number): string[] {
    const offset = this.topology.replOffset(n, now);
    const tail = [
      `master_replid:${n.replId}`,
      'master_replid2:0000000000000000000000000000000000000000',
      `master_repl_offset:${offset}`,
      'second_repl_offset:-1',
      'repl_backlog_active:1',
      'repl_backlog_size:1048576',
      `repl_backlog_first_byte_offset:${Math.max(1, offset - 1_048_575)}`,
      `repl_backlog_histlen:${Math.min(offset, 1_048_576)}`,
    ];
    if (n.role === 'master') {
      const online = this.topology.replicasOf(n).filter((r) => r.failure !== 'fail' && !r.down && !r.hung);
      return [
        'role:master',
        `connected_slaves:${online.length}`,
        ...online.map(
          (r, i) =>
            `slave${i}:ip=${r.host},port=${r.port},state=online,offset=${this.topology.replOffset(r, now)},lag=0`,
        ),
        'master_failover_state:no-failover',
        ...tail,
      ];
    }
    const master = this.topology.masterOf(n);
    const up = this.topology.linkUp(n);
    const downSince = Math.max(1, Math.floor((now - (master?.failedAt || now)) / 1000));
    return [
      'role:slave',
      `master_host:${master?.host ?? '?'}`,
      `master_port:${master?.port ?? 0}`,
      `master_link_status:${up ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${up ? ((now + n.phase) % 10000 < 5000 ? 0 : 1) : downSince}`,
      'master_sync_in_progress:0',
      `slave_read_repl_offset:${offset}`,
      `slave_repl_offset:${offset}`,
      ...(up ? [] : [`master_link_down_since_seconds:${downSince}`]),
      'slave_priority:100',
      'slave_read_only:1',
      'replica_announced:1',
      'connected_slaves:0',
      ...tail,
    ];
  }

  private cpu(n: SimNode, now: number): string[] {
    const up = this.uptime(n, now);
    const sys = (up * 0.0021 + n.index * 0.001).toFixed(6);
    const user = (up * 0.0034 + n.index * 0.001).toFixed(6);
    return [
      `used_cpu_sys:${sys}`,
      `used_cpu_user:${user}`,
      'used_cpu_sys_children:0.000000',
      'used_cpu_user_children:0.001665',
      `used_cpu_sys_main_thread:${sys}`,
      `used_cpu_user_main_thread:${user}`,
    ];
  }

  private commandstats(n: SimNode, now: number): string[] {
    const up = this.uptime(n, now);
    return COMMANDS.map((c, i) => {
      const calls = Math.floor(up / (i + 1)) + n.index;
      const usec = calls * (20 + i * 5);
      return `cmdstat_${c}:calls=${calls},usec=${usec},usec_per_call=${(usec / Math.max(1, calls)).toFixed(2)},rejected_calls=0,failed_calls=0`;
    });
  }

  private latencystats(n: SimNode): string[] {
    return COMMANDS.map((c, i) => {
      const p50 = 5 + ((n.index + i) % 20);
      return `latency_percentiles_usec_${c}:p50=${p50}.023,p99=${p50 * 4}.127,p99.9=${p50 * 9}.535`;
    });
  }
}
