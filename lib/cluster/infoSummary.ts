import type { ParsedInfo } from '../redis/info';
import { parsePersistence } from '../redis/persistence';
import type { NodeInfoSummary } from './types';

function n(fields: Record<string, string>, key: string): number {
  const value = Number(fields[key]);
  return Number.isFinite(value) ? value : 0;
}

/**
 * Every INFO field summarizeInfo (with parsePersistence) reads, besides the keyspace's dbN lines: the collector reads
 * only these out of every node's INFO every poll (parseInfoFields), not all ~170. infoSummary.test.ts checks that a
 * summary from these alone equals one from the whole INFO.
 */
export const SUMMARY_FIELDS: ReadonlySet<string> = new Set([
  'redis_version',
  'valkey_version',
  'server_name',
  'uptime_in_seconds',
  'used_memory',
  'used_memory_rss',
  'maxmemory',
  'maxmemory_policy',
  'instantaneous_ops_per_sec',
  'total_commands_processed',
  'total_net_input_bytes',
  'total_net_output_bytes',
  'connected_clients',
  'blocked_clients',
  'keyspace_hits',
  'keyspace_misses',
  'evicted_keys',
  'expired_keys',
  'master_repl_offset',
  'role',
  'slave_repl_offset',
  'master_link_status',
  'master_link_down_since_seconds',
  'connected_slaves',
  // parsePersistence
  'rdb_last_save_time',
  'aof_enabled',
  'rdb_last_bgsave_time_sec',
  'latest_fork_usec',
  'server_time_usec',
  'rdb_bgsave_in_progress',
  'aof_rewrite_in_progress',
  'rdb_last_bgsave_status',
  'rdb_changes_since_last_save',
  'rdb_saves',
  'aof_last_write_status',
  'aof_last_bgrewrite_status',
]);

export function summarizeInfo(info: ParsedInfo): NodeInfoSummary {
  const f = info.fields;
  const persistence = parsePersistence(info);
  const isReplica = f.role === 'slave';
  return {
    redis_version: f.valkey_version ?? f.redis_version ?? 'unknown',
    server_name: f.server_name ?? 'redis',
    uptime_in_seconds: n(f, 'uptime_in_seconds'),
    used_memory: n(f, 'used_memory'),
    used_memory_rss: n(f, 'used_memory_rss'),
    maxmemory: n(f, 'maxmemory'),
    maxmemory_policy: f.maxmemory_policy ?? '',
    instantaneous_ops_per_sec: n(f, 'instantaneous_ops_per_sec'),
    total_commands_processed: n(f, 'total_commands_processed'),
    total_net_input_bytes: n(f, 'total_net_input_bytes'),
    total_net_output_bytes: n(f, 'total_net_output_bytes'),
    connected_clients: n(f, 'connected_clients'),
    blocked_clients: n(f, 'blocked_clients'),
    keyspace_hits: n(f, 'keyspace_hits'),
    keyspace_misses: n(f, 'keyspace_misses'),
    evicted_keys: n(f, 'evicted_keys'),
    expired_keys: n(f, 'expired_keys'),
    master_repl_offset: n(f, 'master_repl_offset'),
    ...(isReplica
      ? {
          slave_repl_offset: n(f, 'slave_repl_offset'),
          master_link_status: f.master_link_status ?? 'unknown',
          ...(f.master_link_down_since_seconds !== undefined
            ? { master_link_down_since_seconds: n(f, 'master_link_down_since_seconds') }
            : {}),
        }
      : {}),
    connected_slaves: n(f, 'connected_slaves'),
    keys: Object.values(info.keyspace).reduce((sum, db) => sum + db.keys, 0),
    ...(persistence ? { persistence } : {}),
  };
}
