import { describe, expect, it } from 'vitest';
import { healthy, id, infoWith, withNode } from '../findings/snapshotFixture';
import { formatUptime, nodeSummary, replicationLink } from './nodeSummary';
import type { ClusterSnapshot, SnapshotNode } from './types';

const at = '2026-01-01T12:00:00.000Z';
const get = (s: ClusterSnapshot, n: number): SnapshotNode => {
  const node = s.nodes.find((x) => x.id === id(n));
  if (!node) throw new Error(`no node ${n}`);
  return node;
};

describe('nodeSummary', () => {
  it('a master: its replicas with link and lag, memory as a share of maxmemory, the failover to offer', () => {
    let s = withNode(healthy(), 1, {
      info: infoWith({ used_memory: 512 * 1024 ** 2, master_repl_offset: 5000, instantaneous_ops_per_sec: 1234 }),
    });
    s = withNode(s, 4, { info: infoWith({ master_link_status: 'up', slave_repl_offset: 4000, connected_slaves: 0 }) });
    const summary = nodeSummary(get(s, 1), s.nodes, { collectedAt: at });
    expect(summary.role).toBe('master');
    expect(summary.replicas.map((r) => [r.node.id, r.link.status, r.lagBytes])).toEqual([[id(4), 'up', 1000]]);
    expect(summary.memory).toEqual({ used: 512 * 1024 ** 2, max: 1024 ** 3, ratio: 0.5, high: false });
    expect(summary.opsPerSec).toBe(1234);
    expect(summary.clients).toEqual({ connected: 1, blocked: 0 });
    expect(summary.uptimeSeconds).toBe(100);
    expect(summary.reachable).toBe(true);
    expect(summary.unreachable).toBeUndefined();
    expect(summary.clusterSays).toBe('ok');
    expect(summary.failover).toEqual({ masterId: id(1) });
    expect(summary.link).toBeUndefined();
  });

  it('a replica: its master, its own link (with last I/O) and how far behind it is; promote it', () => {
    const s = withNode(healthy(), 5, {
      info: infoWith({ master_link_status: 'up', slave_repl_offset: 400, connected_slaves: 0 }),
    });
    const summary = nodeSummary(get(s, 5), s.nodes, { collectedAt: at, lastIoSecondsAgo: '1' });
    expect(summary.master?.id).toBe(id(2));
    expect(summary.masterId).toBe(id(2));
    expect(summary.replicas).toEqual([]);
    expect(summary.link).toEqual({ status: 'up', lastIoSecondsAgo: 1 });
    expect(summary.lagBytes).toBe(600);
    expect(summary.failover).toEqual({ replicaId: id(5) });
  });

  it('a replica whose link is down says since when', () => {
    const s = withNode(healthy(), 6, {
      info: infoWith({ master_link_status: 'down', master_link_down_since_seconds: 42, connected_slaves: 0 }),
    });
    expect(nodeSummary(get(s, 6), s.nodes, { collectedAt: at }).link).toEqual({
      status: 'down',
      downForSeconds: 42,
      downSince: '2026-01-01T11:59:18.000Z',
    });
    const never = withNode(healthy(), 6, {
      info: infoWith({ master_link_status: 'down', master_link_down_since_seconds: -1, connected_slaves: 0 }),
    });
    expect(replicationLink(get(never, 6), at)).toEqual({ status: 'down' });
  });

  it('memory without maxmemory has no share; above the findings threshold it is high', () => {
    const none = withNode(healthy(), 1, { info: infoWith({ maxmemory: 0 }) });
    expect(nodeSummary(get(none, 1), none.nodes, { collectedAt: at }).memory).toEqual({
      used: 10 * 1024 ** 2,
      max: 0,
      high: false,
    });
    const full = withNode(healthy(), 1, { info: infoWith({ used_memory: 0.95 * 1024 ** 3 }) });
    expect(nodeSummary(get(full, 1), full.nodes, { collectedAt: at }).memory?.high).toBe(true);
  });

  it('an unreachable node: the reason kind, no INFO figures, link unknown; the cluster view kept apart', () => {
    const s = withNode(healthy(), 3, {
      reachable: false,
      error: 'connected, no reply within 500 ms',
      info: undefined,
      pfailSeenBy: [id(1)],
    });
    const summary = nodeSummary(get(s, 3), s.nodes, { collectedAt: at });
    expect(summary.unreachable).toEqual({ kind: 'hung', error: 'connected, no reply within 500 ms' });
    expect(summary.memory).toBeUndefined();
    expect(summary.opsPerSec).toBeUndefined();
    expect(summary.clusterSays).toBe('pfail');
    const replicaOfDown = withNode(healthy(), 4, { reachable: false, error: 'ECONNREFUSED', flags: ['slave', 'fail'] });
    const r = nodeSummary(get(replicaOfDown, 4), replicaOfDown.nodes, { collectedAt: at });
    expect(r.link).toEqual({ status: 'unknown' });
    expect(r.clusterSays).toBe('fail');
    expect(r.unreachable?.kind).toBe('refused');
  });

  it('offers no failover for a master without replicas or without slots', () => {
    const lonely = { ...healthy(), nodes: healthy().nodes.filter((n) => n.id !== id(4)) };
    expect(nodeSummary(get(lonely, 1), lonely.nodes, { collectedAt: at }).failover).toBeUndefined();
    const empty = withNode(healthy(), 1, { slots: [], slotCount: 0 });
    expect(nodeSummary(get(empty, 1), empty.nodes, { collectedAt: at }).failover).toBeUndefined();
  });
});

describe('formatUptime', () => {
  it('shows the two largest units', () => {
    expect(formatUptime(42)).toBe('42 s');
    expect(formatUptime(12 * 60 + 5)).toBe('12 min');
    expect(formatUptime(5 * 3600 + 12 * 60)).toBe('5 h 12 min');
    expect(formatUptime(3 * 86_400 + 4 * 3600 + 59)).toBe('3 d 4 h');
    expect(formatUptime(-1)).toBe('–');
  });
});
