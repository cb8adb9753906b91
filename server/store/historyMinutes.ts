import 'server-only';
import { SERIES, type SeriesName } from '@/lib/history/types';
import { database, statement } from './database';

export const MINUTE_MS = 60_000;
/** How long 1-minute rollups are kept: 7 days. */
export const HISTORY_MINUTES_KEEP_MS = 7 * 24 * 60 * MINUTE_MS;

/** One node's minute: the mean and the highest of each series over the minute's polls (absent or null: no value). */
export interface MinuteRow {
  nodeId: string;
  /** Epoch ms of the minute's start. */
  minute: number;
  samples: number;
  avg: Partial<Record<SeriesName, number | null>>;
  max: Partial<Record<SeriesName, number | null>>;
}

/** Points of one node read back: t is the end of the last minute in each point; values are means. */
export interface MinuteSeries {
  t: number[];
  series: Record<SeriesName, Array<number | null>>;
}

const COLUMNS = SERIES.flatMap((s) => [`avg_${s}`, `max_${s}`]);

/**
 * Writes a minute of every node of a cluster in one transaction (a second write of the same minute replaces it: two
 * dashboards on one data folder write the same rows), and drops this cluster's minutes older than 7 days.
 */
export function writeMinutes(clusterId: string, rows: readonly MinuteRow[], now = Date.now()): void {
  const insert = statement(
    `INSERT OR REPLACE INTO history_minutes (cluster_id, minute, node_id, samples, ${COLUMNS.join(', ')}) VALUES (?, ?, ?, ?, ${COLUMNS.map(() => '?').join(', ')})`,
  );
  const prune = statement('DELETE FROM history_minutes WHERE cluster_id = ? AND minute < ?');
  database().transaction(() => {
    for (const row of rows)
      insert.run(
        clusterId,
        row.minute,
        row.nodeId,
        row.samples,
        ...SERIES.flatMap((s) => [finite(row.avg[s]), finite(row.max[s])]),
      );
    prune.run(clusterId, now - HISTORY_MINUTES_KEEP_MS);
  })();
}

const finite = (v: number | null | undefined) => (v !== null && v !== undefined && Number.isFinite(v) ? v : null);

/** Drops every cluster's minutes older than 7 days (at start-up: also those of clusters no longer configured). */
export function pruneHistoryMinutes(now = Date.now()): number {
  return statement('DELETE FROM history_minutes WHERE minute < ?').run(now - HISTORY_MINUTES_KEEP_MS).changes;
}

/**
 * Per node, the minutes starting in [from, until), averaged (weighted by their polls) into points `bucketMs` wide
 * (a whole number of minutes), oldest first.
 */
export function readMinutes(
  clusterId: string,
  from: number,
  until: number,
  bucketMs: number,
): Map<string, MinuteSeries> {
  const bucket = Math.max(MINUTE_MS, Math.round(bucketMs / MINUTE_MS) * MINUTE_MS);
  const means = SERIES.map(
    (s) => `SUM(avg_${s} * samples) / SUM(CASE WHEN avg_${s} IS NULL THEN NULL ELSE samples END) AS ${s}`,
  );
  const rows = statement(
    `SELECT node_id, MAX(minute) AS minute, ${means.join(', ')} FROM history_minutes
     WHERE cluster_id = ? AND minute >= ? AND minute < ?
     GROUP BY node_id, CAST((minute - ?) / ? AS INTEGER) ORDER BY node_id, minute`,
  ).all(clusterId, from, until, from, bucket) as Array<Record<string, number | string | null>>;
  const out = new Map<string, MinuteSeries>();
  for (const row of rows) {
    const nodeId = String(row.node_id);
    let node = out.get(nodeId);
    if (!node) {
      node = {
        t: [],
        series: Object.fromEntries(SERIES.map((s) => [s, [] as Array<number | null>])) as MinuteSeries['series'],
      };
      out.set(nodeId, node);
    }
    node.t.push(Number(row.minute) + MINUTE_MS);
    for (const s of SERIES) {
      const v = row[s];
      node.series[s].push(typeof v === 'number' ? v : null);
    }
  }
  return out;
}
