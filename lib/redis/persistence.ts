import type { ParsedInfo } from './info';

/**
 * A node's RDB/AOF state, read from the INFO it already answers every poll (INFO default includes the persistence and
 * stats sections: no extra round trip). Each field names the INFO field that feeds it; fields a server does not
 * report are left out (never guessed as 0).
 */
export interface NodePersistence {
  /** rdb_last_save_time: unix seconds of the last successful RDB save (the start time when it never saved). */
  lastSaveTime?: number;
  /** rdb_last_bgsave_status: "ok" or "err" (stays "err" until a save succeeds). */
  lastBgsaveStatus?: string;
  /** rdb_bgsave_in_progress:1 */
  bgsaveInProgress: boolean;
  /** rdb_changes_since_last_save: writes not yet in an RDB file. */
  changesSinceLastSave?: number;
  /** rdb_last_bgsave_time_sec: seconds the last BGSAVE took; absent when none ran since start (-1). */
  lastBgsaveSeconds?: number;
  /** rdb_saves (Redis 7.0+, Valkey): RDB saves STARTED since the node started, failed ones included. */
  saves?: number;
  /** aof_enabled:1 (appendonly yes). */
  aofEnabled: boolean;
  /** aof_last_write_status: "ok" or "err". */
  aofLastWriteStatus?: string;
  /** aof_last_bgrewrite_status: "ok" or "err". */
  aofLastRewriteStatus?: string;
  /** aof_rewrite_in_progress:1 */
  aofRewriteInProgress: boolean;
  /** latest_fork_usec (INFO stats): how long the last fork blocked the node, µs; absent when it never forked (0). */
  latestForkUsec?: number;
  /** server_time_usec (INFO server, 6.2+) in seconds: the node's own clock, to age lastSaveTime without skew. */
  nodeTimeSec?: number;
}

function int(fields: Record<string, string>, key: string): number | undefined {
  const raw = fields[key];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
}

const flag = (fields: Record<string, string>, key: string) => fields[key] === '1';

/** Undefined when INFO has no persistence section at all (nothing to show, nothing to judge). */
export function parsePersistence(info: Pick<ParsedInfo, 'fields'>): NodePersistence | undefined {
  const f = info.fields;
  if (f.rdb_last_save_time === undefined && f.aof_enabled === undefined) return undefined;
  const lastBgsaveSeconds = int(f, 'rdb_last_bgsave_time_sec');
  const latestForkUsec = int(f, 'latest_fork_usec');
  const serverTimeUsec = int(f, 'server_time_usec');
  const out: NodePersistence = {
    bgsaveInProgress: flag(f, 'rdb_bgsave_in_progress'),
    aofEnabled: flag(f, 'aof_enabled'),
    aofRewriteInProgress: flag(f, 'aof_rewrite_in_progress'),
  };
  const lastSaveTime = int(f, 'rdb_last_save_time');
  if (lastSaveTime !== undefined) out.lastSaveTime = lastSaveTime;
  if (f.rdb_last_bgsave_status) out.lastBgsaveStatus = f.rdb_last_bgsave_status;
  const changes = int(f, 'rdb_changes_since_last_save');
  if (changes !== undefined) out.changesSinceLastSave = changes;
  if (lastBgsaveSeconds !== undefined && lastBgsaveSeconds >= 0) out.lastBgsaveSeconds = lastBgsaveSeconds;
  const saves = int(f, 'rdb_saves');
  if (saves !== undefined) out.saves = saves;
  if (f.aof_last_write_status) out.aofLastWriteStatus = f.aof_last_write_status;
  if (f.aof_last_bgrewrite_status) out.aofLastRewriteStatus = f.aof_last_bgrewrite_status;
  if (latestForkUsec !== undefined && latestForkUsec > 0) out.latestForkUsec = latestForkUsec;
  if (serverTimeUsec !== undefined) out.nodeTimeSec = Math.floor(serverTimeUsec / 1e6);
  return out;
}

/** Seconds since the last successful save, by the node's own clock when it reports one, else by `nowSec`. */
export function lastSaveAgeSec(p: NodePersistence, nowSec: number): number | undefined {
  if (p.lastSaveTime === undefined) return undefined;
  return Math.max(0, (p.nodeTimeSec ?? nowSec) - p.lastSaveTime);
}

/**
 * rdb_last_bgsave_time_sec in words: Redis counts whole seconds between the save's start and end (time(NULL)), so 0
 * and 1 both mean "within a second or so" and a larger value is good to about a second.
 */
export function describeSaveSeconds(seconds: number | undefined): string {
  if (seconds === undefined) return 'saved';
  return seconds <= 1 ? 'saved in ≤1 s' : `saved in about ${seconds} s`;
}
