import { describe, expect, it } from 'vitest';
import type { Finding } from '../findings/types';
import {
  agreementSentence,
  dataNodeState,
  deploymentCounts,
  haproxyReading,
  hostGroups,
  replicaLagBytes,
  sentinelRows,
  sentinelsOnOneHost,
  sharedSetting,
  stripNodes,
} from './deploymentView';
import type { SentinelDataNode, SentinelSnapshot, SentinelView } from './types';

const node = (addr: string, over: Partial<SentinelDataNode> = {}): SentinelDataNode => ({
  addr,
  host: addr.split(':')[0] ?? addr,
  reachable: true,
  role: 'replica',
  knownBySentinels: 3,
  sentinelFlags: ['slave'],
  ...over,
});

const sentinel = (addr: string, masterAddr: string | null, over: Partial<SentinelView> = {}): SentinelView => ({
  addr,
  host: addr.split(':')[0] ?? addr,
  reachable: true,
  masterAddr,
  quorum: 2,
  downAfterMs: 2000,
  failoverTimeoutMs: 10_000,
  ...over,
});

/** The seed's layout: a master, two replicas and a sentinel on each of three loopback hosts, HAProxy in front. */
function fixture(): SentinelSnapshot {
  return {
    kind: 'sentinel',
    clusterId: 'cache',
    clusterName: 'Cache',
    masterName: 'mymaster',
    collectedAt: '2026-12-05T21:00:00.000Z',
    durationMs: 12,
    master: node('127.0.0.1:6379', { role: 'master', sentinelFlags: ['master'], minReplicasToWrite: null }),
    replicas: [node('127.0.0.2:6379', { lagBytes: 0 }), node('127.0.0.3:6379', { lagBytes: 2048 })],
    sentinels: [
      sentinel('127.0.0.1:26379', '127.0.0.1:6379'),
      sentinel('127.0.0.2:26379', '127.0.0.1:6379'),
      sentinel('127.0.0.3:26379', '127.0.0.1:6379'),
    ],
    agreement: { agreed: true, addrs: ['127.0.0.1:6379'], reachable: 3, total: 3 },
    haproxy: {
      backend: 'redis',
      source: 'socket',
      reachable: true,
      backendStatus: 'UP',
      servers: [
        { name: 'r1', addr: '127.0.0.1:6379', status: 'UP', routed: true, backup: false, checkStatus: 'L7OK' },
        { name: 'r2', addr: '127.0.0.2:6379', status: 'DOWN', routed: false, backup: false, checkStatus: 'L7RSP' },
        { name: 'r3', addr: '127.0.0.3:6379', status: 'DOWN', routed: false, backup: false, checkStatus: 'L7RSP' },
      ],
    },
  };
}

describe('the Sentinel deployment page reads', () => {
  it('agreement: all sentinels name one master, nobody highlighted', () => {
    const s = fixture();
    expect(sentinelRows(s).map((r) => r.disagrees)).toEqual([false, false, false]);
    expect(agreementSentence(s)).toBe('All 3 reachable sentinels name 127.0.0.1:6379 as master.');
  });

  it('a sentinel that names another master is highlighted and the sentence says who names what', () => {
    const s = fixture();
    s.sentinels[2] = sentinel('127.0.0.3:26379', '127.0.0.2:6379');
    s.agreement = { agreed: false, addrs: ['127.0.0.1:6379', '127.0.0.2:6379'], reachable: 3, total: 3 };
    expect(sentinelRows(s).map((r) => r.disagrees)).toEqual([false, false, true]);
    expect(agreementSentence(s)).toBe(
      'Sentinels disagree on the master: 2 name 127.0.0.1:6379, 1 names 127.0.0.2:6379.',
    );
  });

  it('an unreachable sentinel is counted apart, never as disagreeing', () => {
    const s = fixture();
    s.sentinels[1] = sentinel('127.0.0.2:26379', null, { reachable: false, error: 'connection refused' });
    s.agreement = { agreed: true, addrs: ['127.0.0.1:6379'], reachable: 2, total: 3 };
    expect(sentinelRows(s).map((r) => r.disagrees)).toEqual([false, false, false]);
    expect(agreementSentence(s)).toBe(
      'All 2 reachable sentinels name 127.0.0.1:6379 as master (1 of 3 not reachable from here).',
    );
    expect(deploymentCounts(s)).toEqual({ nodesUp: 3, nodesKnown: 3, sentinelsUp: 2, sentinelsTotal: 3 });
  });

  it('HAProxy routing to one node, the master: agrees', () => {
    const r = haproxyReading(fixture());
    expect(r?.routed).toBe(1);
    expect(r?.agrees).toBe(true);
    expect(r?.rows.map((row) => row.node?.role)).toEqual(['master', 'replica', 'replica']);
  });

  it('HAProxy routing to a replica as well: that row is the wrong route, and it does not agree', () => {
    const s = fixture();
    const r3 = s.haproxy?.servers[2];
    if (r3) Object.assign(r3, { status: 'UP', routed: true, checkStatus: 'L7OK' });
    const r = haproxyReading(s);
    expect(r?.routed).toBe(2);
    expect(r?.agrees).toBe(false);
    expect(r?.rows.map((row) => row.wrongRoute)).toEqual([false, false, true]);
  });

  it('no haproxy configured: nothing to read', () => {
    const s = fixture();
    delete s.haproxy;
    expect(haproxyReading(s)).toBeUndefined();
  });

  it('node states in words: sentinels flag it down, unreachable from here, link down, lagging (as the findings say)', () => {
    expect(dataNodeState(node('a:1'))).toBe('up');
    expect(dataNodeState(node('a:1', { reachable: false }))).toBe('unreachable');
    expect(dataNodeState(node('a:1', { reachable: false, sentinelFlags: ['master', 's_down'] }))).toBe('down');
    expect(dataNodeState(node('a:1', { linkUp: false }))).toBe('linkDown');
    const lagging: Finding = {
      code: 'sentinel_replica_lagging',
      severity: 'warning',
      nodeIds: ['a:1'],
      message: '',
      action: '',
    };
    expect(dataNodeState(node('a:1'), [lagging])).toBe('lagging');
    expect(dataNodeState(node('b:1'), [lagging])).toBe('up');
  });

  it('hosts: each host lists its master, replicas and sentinels; all sentinels on one host is named', () => {
    const s = fixture();
    expect(hostGroups(s).map((g) => [g.host, g.members.map((m) => m.kind)])).toEqual([
      ['127.0.0.1', ['master', 'sentinel']],
      ['127.0.0.2', ['replica', 'sentinel']],
      ['127.0.0.3', ['replica', 'sentinel']],
    ]);
    expect(sentinelsOnOneHost(s)).toBeUndefined();
    s.sentinels = s.sentinels.map((x, i) => ({ ...x, addr: `127.0.0.1:${26379 + i}`, host: '127.0.0.1' }));
    expect(sentinelsOnOneHost(s)).toBe('127.0.0.1');
  });

  it('settings the sentinels share collapse to one value; differing ones are all listed', () => {
    const s = fixture();
    expect(sharedSetting(s, (x) => x.quorum)).toEqual([2]);
    const first = s.sentinels[0];
    if (first) first.downAfterMs = 5000;
    expect(sharedSetting(s, (x) => x.downAfterMs)).toEqual([2000, 5000]);
  });

  it('the wall strip: all nodes up to the cap; past it the master and the nodes not up first, the rest counted', () => {
    const up = (i: number) => ({ addr: `r${i}:1`, role: 'replica' as const, state: 'up' as const });
    const master = { addr: 'm:1', role: 'master' as const, state: 'up' as const };
    const few = [master, up(1), up(2)];
    expect(stripNodes(few, 6)).toEqual({ shown: few, rest: 0, restNotUp: 0 });
    const down = { addr: 'd:1', role: 'replica' as const, state: 'down' as const };
    const many = [master, up(1), up(2), up(3), up(4), up(5), up(6), down];
    const strip = stripNodes(many, 6);
    expect(strip.shown.map((n) => n.addr)).toEqual(['m:1', 'd:1', 'r1:1', 'r2:1', 'r3:1']);
    expect([strip.rest, strip.restNotUp]).toEqual([3, 0]);
    const allDown = [master, ...[1, 2, 3, 4, 5, 6].map((i) => ({ ...up(i), state: 'unreachable' as const }))];
    expect(stripNodes(allDown, 6)).toMatchObject({ rest: 2, restNotUp: 2 });
  });
});

describe('replica lag as the page shows it (T#9)', () => {
  it('0 when the replica has the master offset, though its last ACK is a second of writes behind', () => {
    const r = node('10.0.0.2:6379', { offset: 5000, lagBytes: 2765, lagSeconds: 1 });
    expect(replicaLagBytes(r, 5000)).toBe(0);
    expect(replicaLagBytes(r, 6000)).toBe(1000);
    expect(replicaLagBytes(r, 9000)).toBe(2765);
    expect(replicaLagBytes({ ...r, offset: undefined }, 5000)).toBe(2765);
  });
});
