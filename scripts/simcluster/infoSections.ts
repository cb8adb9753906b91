// The long, mostly steady sections of the simulated INFO (memory, persistence, stats), as redis-server 7.0 writes
// them: field names and order from a real 7.0.15 node, values varied per node and moving with time.
import type { SimNode } from './topology';

export const human = (bytes: number) =>
  bytes >= 1 << 30
    ? `${(bytes / (1 << 30)).toFixed(2)}G`
    : bytes >= 1 << 20
      ? `${(bytes / (1 << 20)).toFixed(2)}M`
      : bytes >= 1024
        ? `${(bytes / 1024).toFixed(2)}K`
        : `${bytes}B`;

export function memorySection(n: SimNode, nodeCount: number, maxmemory: number): string[] {
  const links = 1088 * (nodeCount - 1);
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
    `maxmemory:${maxmemory}`,
    `maxmemory_human:${human(maxmemory)}`,
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

export function persistenceSection(n: SimNode, now: number): string[] {
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

export function statsSection(n: SimNode, now: number, fullSyncs: number): string[] {
  const up = Math.floor((now - n.startedAt) / 1000);
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
    `sync_full:${fullSyncs}`,
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
