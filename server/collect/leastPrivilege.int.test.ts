import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '@/lib/auth/access';
import { evaluateFindings } from '@/lib/findings';
import type { Job } from '@/lib/jobs/types';
import { MONITOR_RULES, NARROW_MONITOR_RULES, OPERATOR_RULES } from '@/lib/redis/aclProfiles';
import type { DevCluster } from '../../scripts/devcluster/cluster';
import { collectUntil, resolvedClusterFor, startThreeHostCluster, waitFor } from '../../scripts/test/helpers';
import { getJob } from '../jobs/registry';
import { startFailoverOn } from '../ops/startFailover';
import { ClusterCollector } from './collector';
import { ClusterPoller } from './poller';
import { stopPollers } from './pollers';

const PASSWORD = 'lp-default-pw';
const operator: Principal = { kind: 'user', name: 'otto', role: 'operator' };
let dev: DevCluster;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'least-privilege-int-'));
  await writeFile(
    path.join(dir, 'config.json'),
    JSON.stringify({ clusters: [{ id: 'other', name: 'Other', seeds: ['127.0.0.1:1'] }], auditLogPath: 'audit.jsonl' }),
  );
  process.env.DASHBOARD_CONFIG = path.join(dir, 'config.json');
  dev = await startThreeHostCluster({ password: PASSWORD, nodeTimeoutMs: 1000 });
  for (const node of dev.nodes) {
    const client = dev.client(node);
    await client.call('ACL', 'SETUSER', 'narrow', 'on', '>narrow-pw', ...NARROW_MONITOR_RULES);
    await client.call('ACL', 'SETUSER', 'monitor', 'on', '>monitor-pw', ...MONITOR_RULES);
    await client.call('ACL', 'SETUSER', 'operator', 'on', '>operator-pw', ...OPERATOR_RULES);
  }
}, 120_000);
afterAll(async () => {
  stopPollers();
  await dev?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the dashboard as a least-privilege ACL user on a real cluster', () => {
  it('the narrow monitor sees 6/6 nodes and 16384 slots, and the refused features are named', async () => {
    const collector = new ClusterCollector(resolvedClusterFor(dev, { username: 'narrow', password: 'narrow-pw' }));
    try {
      const snapshot = await collectUntil(collector, 'every node polled as narrow', (s) => s.summary.reachable === 6);
      expect(snapshot.summary).toMatchObject({ nodes: 6, masters: 3, replicas: 3, reachable: 6, slotsCovered: 16384 });
      expect(snapshot.status).toBe('ok');
      expect(snapshot.user).toBe('narrow');
      expect(snapshot.nodes.every((n) => n.clusterState === 'ok')).toBe(true);
      expect(snapshot.nodes.every((n) => n.refused?.some((r) => r.command === 'config|get'))).toBe(true);
      // LATENCY is allowed, the threshold (CONFIG GET) is not: the monitor's state is unknown, nothing else is lost.
      expect(snapshot.nodes.every((n) => n.latency?.monitorEnabled && n.latency.thresholdMs === undefined)).toBe(true);
      const findings = evaluateFindings(snapshot);
      expect(findings.map((f) => f.code)).not.toContain('unreachable_from_dashboard');
      expect(findings.filter((f) => f.severity === 'critical')).toEqual([]);
      const refused = findings.find((f) => f.code === 'commands_refused');
      expect(refused?.message).toContain('not permitted for user narrow: config|get');
      expect(refused?.message).toContain('on 6 of 6 nodes');
      // Asked again only after a while, not every poll: the next poll still reports it, all nodes still reachable.
      const again = await collector.collect();
      expect(again.summary.reachable).toBe(6);
      expect(again.nodes.every((n) => n.refused?.some((r) => r.command === 'config|get'))).toBe(true);
    } finally {
      collector.close();
    }
  });

  it('a user without CLUSTER INFO still sees every node; cluster_state is then unknown, not fail', async () => {
    for (const node of dev.nodes) await dev.client(node).call('ACL', 'SETUSER', 'narrow', '-cluster|info');
    const collector = new ClusterCollector(resolvedClusterFor(dev, { username: 'narrow', password: 'narrow-pw' }));
    try {
      const snapshot = await collectUntil(collector, 'every node polled', (s) => s.summary.reachable === 6);
      expect(snapshot.summary.slotsCovered).toBe(16384);
      expect(snapshot.status).toBe('unknown');
      expect(evaluateFindings(snapshot).find((f) => f.code === 'commands_refused')?.message).toContain(
        'not permitted for user narrow: cluster|info',
      );
    } finally {
      collector.close();
      for (const node of dev.nodes) await dev.client(node).call('ACL', 'SETUSER', 'narrow', '+cluster|info');
    }
  });

  it('the documented monitor profile is refused nothing the poll sends', async () => {
    const collector = new ClusterCollector(resolvedClusterFor(dev, { username: 'monitor', password: 'monitor-pw' }));
    try {
      const snapshot = await collectUntil(collector, 'every node polled', (s) => s.summary.reachable === 6);
      expect(snapshot.nodes.flatMap((n) => n.refused ?? [])).toEqual([]);
      expect(snapshot.nodes.every((n) => n.clusterConfig?.['cluster-node-timeout'] === '1000')).toBe(true);
      // latency-monitor-threshold read with the latency monitor: 0 (off) on these nodes, as Redis defaults it.
      expect(snapshot.nodes.map((n) => n.latency?.thresholdMs)).toEqual(snapshot.nodes.map(() => 0));
    } finally {
      collector.close();
    }
  });

  it('the documented operator profile runs a guided failover', async () => {
    const poller = new ClusterPoller(
      resolvedClusterFor(dev, {
        username: 'operator',
        password: 'operator-pw',
        pollIntervalMs: 250,
        nodeDeadlineMs: 500,
      }),
    );
    poller.start();
    try {
      await waitFor(
        'all nodes reachable',
        async () => (poller.latest?.summary.reachable === 6 ? true : undefined),
        15_000,
      );
      const replica = poller.latest?.nodes.find((n) => n.role === 'replica');
      if (!replica) throw new Error('no replica');
      expect(poller.latest?.nodes.flatMap((n) => n.refused ?? [])).toEqual([]);
      const { jobId } = startFailoverOn(
        poller,
        { replicaId: replica.id, mode: 'default', confirm: replica.id },
        operator,
      );
      const job = await waitFor(
        'the failover to end',
        async () => {
          const j: Job | undefined = getJob(jobId);
          return j && j.state !== 'running' ? j : undefined;
        },
        60_000,
        50,
      );
      expect(job.error).toBeUndefined();
      expect(job.state).toBe('succeeded');
    } finally {
      poller.stop();
    }
  });
});
