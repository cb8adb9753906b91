import 'server-only';
import type { TimelineEvent } from '@/lib/timeline/diff';
import { keepImportant, ROUTINE_KINDS } from '@/lib/timeline/trim';
import type { TimelineLog } from '../collect/timelineLog';
import { database, statement } from './database';
import { ownerAlive, thisProcess } from './owner';

/** Events kept per cluster; older ones are deleted as new ones come. */
export const TIMELINE_KEPT_PER_CLUSTER = 10_000;

/**
 * The timeline of one cluster in the store. When two dashboard processes share a data folder, the first to record an
 * event for a cluster writes its timeline while it runs; the other reads it (both derive the same events).
 */
export class StoredTimeline implements TimelineLog {
  constructor(
    readonly clusterId: string,
    private readonly keep = TIMELINE_KEPT_PER_CLUSTER,
  ) {}

  private writes(): boolean {
    const row = statement('SELECT owner FROM timeline_writers WHERE cluster_id = ?').get(this.clusterId) as
      | { owner: string }
      | undefined;
    if (row?.owner === thisProcess()) return true;
    if (row && ownerAlive(row.owner)) return false;
    statement(
      'INSERT INTO timeline_writers (cluster_id, owner) VALUES (?, ?) ON CONFLICT (cluster_id) DO UPDATE SET owner = excluded.owner',
    ).run(this.clusterId, thisProcess());
    return true;
  }

  append(events: readonly TimelineEvent[]): void {
    if (events.length === 0) return;
    database()
      .transaction(() => {
        if (!this.writes()) return;
        const insert = statement('INSERT INTO timeline (cluster_id, at, event) VALUES (?, ?, ?)');
        for (const event of events) insert.run(this.clusterId, event.at, JSON.stringify(event));
        statement(
          `DELETE FROM timeline WHERE cluster_id = ? AND id <= (
           SELECT id FROM timeline WHERE cluster_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
        ).run(this.clusterId, this.clusterId, this.keep);
      })
      .immediate();
  }

  recent(limit: number): TimelineEvent[] {
    // The newest `limit` events, and the newest `limit` of the kinds a migration does not repeat: keepImportant cuts.
    const routine = [...ROUTINE_KINDS].map(() => '?').join(', ');
    const rows = statement(
      `SELECT id, event FROM (SELECT id, event FROM timeline WHERE cluster_id = ? ORDER BY id DESC LIMIT ?)
       UNION SELECT id, event FROM (SELECT id, event FROM timeline WHERE cluster_id = ?
         AND json_extract(event, '$.kind') NOT IN (${routine}) ORDER BY id DESC LIMIT ?)
       ORDER BY id DESC`,
    ).all(this.clusterId, limit, this.clusterId, ...ROUTINE_KINDS, limit) as Array<{ event: string }>;
    return keepImportant(
      rows.map((r) => JSON.parse(r.event) as TimelineEvent),
      limit,
    );
  }
}
