import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { type Sample, SERIES } from '@/lib/history/types';
import { closeDatabase, database, openDatabase, setDatabase } from '../store/database';
import {
  HISTORY_MINUTES_KEEP_MS,
  MINUTE_MS,
  pruneHistoryMinutes,
  readMinutes,
  writeMinutes,
} from '../store/historyMinutes';
import { ClusterHistory } from './clusterHistory';
import { MinuteRollup } from './minuteRollup';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'history-minutes-'));
  file = path.join(dir, 'dashboard.sqlite3');
  setDatabase(openDatabase(file));
});
afterEach(() => {
  closeDatabase();
  rmSync(dir, { recursive: true, force: true });
});

/** A dashboard restart as far as the store goes: the connection closed, the same file opened anew. */
function reopen() {
  closeDatabase();
  setDatabase(openDatabase(file));
}

const sample = (memory: number, ops: number | null): Sample => ({
  ...(Object.fromEntries(SERIES.map((s) => [s, null])) as Sample),
  used_memory: memory,
  ops_per_sec: ops,
});

// Two hours ago, on a minute: writes drop minutes older than 7 days from now.
const T0 = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 2 * 60 * MINUTE_MS;
const rows = (clusterId = 'c') =>
  database()
    .prepare(
      'SELECT minute, node_id, samples, avg_used_memory, max_used_memory, avg_ops_per_sec, avg_keys FROM history_minutes WHERE cluster_id = ? ORDER BY minute, node_id',
    )
    .all(clusterId);

describe('1-minute history rollups in the store', () => {
  it('writes each minute once it is over, mean and highest per series, and reads it back after a restart', () => {
    const rollup = new MinuteRollup('c');
    rollup.add(T0 + 1000, 'a', sample(100, 10));
    rollup.add(T0 + 1000, 'b', sample(1000, null));
    rollup.add(T0 + 31_000, 'a', sample(300, 30));
    expect(rows()).toEqual([]); // the minute is not over
    rollup.add(T0 + MINUTE_MS + 1000, 'a', sample(500, 50));
    expect(rows()).toEqual([
      {
        minute: T0,
        node_id: 'a',
        samples: 2,
        avg_used_memory: 200,
        max_used_memory: 300,
        avg_ops_per_sec: 20,
        avg_keys: null,
      },
      {
        minute: T0,
        node_id: 'b',
        samples: 1,
        avg_used_memory: 1000,
        max_used_memory: 1000,
        avg_ops_per_sec: null,
        avg_keys: null,
      },
    ]);
    rollup.add(T0 + 2 * MINUTE_MS, 'a', sample(700, 70));
    reopen();
    const read = readMinutes('c', T0, T0 + 10 * MINUTE_MS, MINUTE_MS);
    expect(read.get('a')?.t).toEqual([T0 + MINUTE_MS, T0 + 2 * MINUTE_MS]);
    expect(read.get('a')?.series.used_memory).toEqual([200, 500]);
    expect(read.get('b')?.series.ops_per_sec).toEqual([null]);
    // Two minutes in one point: the mean weighted by polls, at the end of its last minute.
    const wide = readMinutes('c', T0, T0 + 10 * MINUTE_MS, 2 * MINUTE_MS);
    expect(wide.get('a')).toMatchObject({ t: [T0 + 2 * MINUTE_MS], series: { used_memory: [300] } });
  });

  it('drops minutes older than 7 days when it writes, and every cluster’s at start-up', () => {
    const now = T0 + HISTORY_MINUTES_KEEP_MS + 5 * MINUTE_MS;
    writeMinutes('gone', [{ nodeId: 'x', minute: T0, samples: 1, avg: {}, max: {} }], T0);
    writeMinutes('c', [{ nodeId: 'a', minute: T0, samples: 1, avg: {}, max: {} }], T0);
    expect(rows('gone')).toHaveLength(1);
    // A write 7 days and 5 minutes on drops that cluster's old minutes, not another's.
    writeMinutes('c', [{ nodeId: 'a', minute: T0 + 10 * MINUTE_MS, samples: 1, avg: {}, max: {} }], now);
    expect(rows().map((r) => (r as { minute: number }).minute)).toEqual([T0 + 10 * MINUTE_MS]);
    expect(rows('gone')).toHaveLength(1);
    expect(pruneHistoryMinutes(now)).toBe(1);
    expect(rows('gone')).toEqual([]);
  });

  it('fills the part of a window before the in-memory samples from the store, and says where', () => {
    // An hour of minutes written by the dashboard that ran before.
    const before = new MinuteRollup('c');
    for (let m = 0; m <= 60; m++) before.add(T0 + m * MINUTE_MS, 'a', sample(m, m));
    reopen();
    // The restarted one: two polls so far.
    const history = new ClusterHistory(60 * MINUTE_MS, 1000, 0, new MinuteRollup('c'));
    const now = T0 + 61 * MINUTE_MS;
    const snapshot = (at: number) =>
      ({
        collectedAt: new Date(at).toISOString(),
        nodes: [{ id: 'a', addr: '10.0.0.1:6379', role: 'master', masterId: null }],
      }) as unknown as ClusterSnapshot;
    history.record(snapshot(now - 1000));
    history.record(snapshot(now));
    const { nodes, minuteAveragesUntil } = history.window(snapshot(now), now - 60 * MINUTE_MS, 300, now);
    expect(minuteAveragesUntil).toBe(T0 + 60 * MINUTE_MS);
    const a = nodes[0];
    // minutes 1..59 from the store (the window starts at minute 1), then the two polls
    expect(a?.t.slice(0, 2)).toEqual([T0 + 2 * MINUTE_MS, T0 + 3 * MINUTE_MS]);
    expect(a?.series.used_memory.slice(0, 2)).toEqual([1, 2]);
    expect(a?.t.slice(-2)).toEqual([now - 1000, now]);
    expect(a?.t).toHaveLength(59 + 2);
    // A window the memory covers needs no store.
    expect(history.window(snapshot(now), now - 1500, 300, now).minuteAveragesUntil).toBeUndefined();
  });
});
