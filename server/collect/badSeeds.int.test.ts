import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedisProcess, startRedisProcess, stopRedisProcess } from '../../scripts/devcluster/redisProcess';
import { ClusterCollector } from './collector';

const base = {
  id: 'bad',
  name: 'Bad seeds',
  natMap: {},
  allowedTargets: [],
  nodeNetworks: ['127.0.0.0/24'],
  historyMinutes: 60,
  latencySampleMs: 0,
  slotHeatSweepMinutes: 5,
  pollIntervalMs: 1000,
  nodeDeadlineMs: 500,
  connectTimeoutMs: 500,
};
let dir: string;
let plain: RedisProcess;
let http: net.Server;
let httpPort = 0;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'bad-seeds-'));
  plain = await startRedisProcess({
    host: '127.0.0.1',
    dir,
    nodeTimeoutMs: 2000,
    extraConfig: { 'cluster-enabled': 'no' },
  });
  // Something that is not Redis at all on the seed port: an HTTP-ish server that answers garbage and hangs up.
  http = net.createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n<html>nope</html>'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  httpPort = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  http?.close();
  if (plain) await stopRedisProcess(plain);
  await rm(dir, { recursive: true, force: true });
});

describe('seeds that are not a cluster', () => {
  it('names a Redis without cluster support', async () => {
    const collector = new ClusterCollector({ ...base, seeds: [`127.0.0.1:${plain.port}`] });
    try {
      const snap = await collector.collect();
      expect(snap.status).toBe('unknown');
      expect(snap.unidentified[0]?.error).toMatch(/cluster support disabled/);
    } finally {
      collector.close();
    }
  });

  it('survives a peer that answers garbage, poll after poll', async () => {
    const collector = new ClusterCollector({ ...base, seeds: [`127.0.0.1:${httpPort}`] });
    try {
      for (let i = 0; i < 3; i++) {
        const snap = await collector.collect();
        expect(snap.nodes).toEqual([]);
        expect(snap.unidentified).toHaveLength(1);
        expect(snap.unidentified[0]?.error).toMatch(/protocol error|not connected/);
      }
    } finally {
      collector.close();
    }
  });

  it('reports a closed port at once, not after the deadline', async () => {
    const collector = new ClusterCollector({ ...base, seeds: ['127.0.0.1:1'] });
    try {
      await collector.collect();
      const started = performance.now();
      const snap = await collector.collect();
      expect(performance.now() - started).toBeLessThan(400);
      expect(snap.unidentified[0]?.error).toMatch(/ECONNREFUSED|not connected|connection/i);
    } finally {
      collector.close();
    }
  });
});
