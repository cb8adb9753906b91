import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { summarizeInfo } from '@/lib/cluster/infoSummary';
import type { NodeInfoSummary } from '@/lib/cluster/types';
import { SentinelConfig } from '@/lib/config/schema';
import { parseInfo } from '@/lib/redis/info';
import { healthySentinel, MASTER, REPLICAS, SENTINELS } from '@/lib/sentinel/snapshotFixture';
import type { ResolvedSentinel } from '../config/load';
import { closeDatabase, openDatabase, setDatabase } from '../store/database';
import { MINUTE_MS } from '../store/historyMinutes';
import { historySource } from './history';
import { SentinelPoller } from './poller';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'sentinel-history-'));
  file = path.join(dir, 'dashboard.sqlite3');
  setDatabase(openDatabase(file));
});
afterEach(() => {
  closeDatabase();
  rmSync(dir, { recursive: true, force: true });
});

const deployment = (): ResolvedSentinel => ({
  ...SentinelConfig.parse({
    kind: 'sentinel',
    id: 's',
    name: 'Sessions',
    sentinels: [...SENTINELS],
    masterName: 'mymaster',
  }),
  nodeNetworks: ['10.0.0.0/24'],
});

const summary = (usedMemory: number): NodeInfoSummary =>
  summarizeInfo(parseInfo(`# Server\r\nredis_version:7.0.15\r\n# Memory\r\nused_memory:${usedMemory}\r\n`));

// Two hours ago, on a minute (the store keeps 7 days).
const T0 = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 2 * 60 * MINUTE_MS;

/** One poll of the fixture deployment at `at`, every data node with `usedMemory`. */
function poll(poller: SentinelPoller, at: number, usedMemory: number) {
  const snapshot = { ...healthySentinel(), collectedAt: new Date(at).toISOString() };
  const infos = new Map([MASTER, ...REPLICAS].map((a) => [a, summary(usedMemory)]));
  const source = historySource(snapshot, infos);
  poller.history.record(source);
  return source;
}

describe('a Sentinel deployment’s trends in the store', () => {
  it('outlive a restart: 1-minute rollups keyed by the deployment id, the data nodes by address', () => {
    const before = new SentinelPoller(deployment());
    for (let m = 0; m <= 30; m++) poll(before, T0 + m * MINUTE_MS, 1000 + m);
    // A restart: the same store file opened anew, a new poller with two polls so far.
    closeDatabase();
    setDatabase(openDatabase(file));
    const after = new SentinelPoller(deployment());
    const now = T0 + 31 * MINUTE_MS;
    poll(after, now - 1000, 5000);
    const source = poll(after, now, 5000);
    const { nodes, minuteAveragesUntil } = after.history.window(source, now - 30 * MINUTE_MS, 300, now);
    expect(minuteAveragesUntil).toBe(T0 + 30 * MINUTE_MS);
    const master = nodes.find((n) => n.nodeId === MASTER);
    // The minutes the first poller wrote (from the store), then the restarted one's two polls.
    expect(master?.series.used_memory.slice(0, 2)).toEqual([1001, 1002]);
    expect(master?.series.used_memory.slice(-2)).toEqual([5000, 5000]);
    expect(nodes.map((n) => n.nodeId).sort()).toEqual([MASTER, ...REPLICAS].sort());
  });
});
