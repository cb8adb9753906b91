import type { HaproxyServer, SentinelDataNode, SentinelSnapshot, SentinelView } from './types';

/** Test fixtures: a healthy deployment of 1 master + 2 replicas on 10.0.0.1-3, 3 sentinels, HAProxy in front. */
export const MASTER = '10.0.0.1:6379';
export const REPLICAS = ['10.0.0.2:6379', '10.0.0.3:6379'] as const;
export const SENTINELS = ['10.0.0.1:26379', '10.0.0.2:26379', '10.0.0.3:26379'] as const;

function dataNode(addr: string, role: 'master' | 'replica'): SentinelDataNode {
  return {
    addr,
    host: addr.split(':')[0] ?? '',
    reachable: true,
    role,
    knownBySentinels: 3,
    sentinelFlags: [],
    ...(role === 'replica'
      ? {
          listedByMaster: true,
          masterAddr: MASTER,
          linkUp: true,
          lastIoSeconds: 0,
          offset: 1000,
          lagBytes: 0,
          priority: 100,
        }
      : { offset: 1000, minReplicasToWrite: 1, minReplicasMaxLag: 10, connectedReplicas: 2 }),
    version: '7.0.15',
    usedMemory: 1_000_000,
    maxMemory: 10_000_000,
    opsPerSec: 50,
    connectedClients: 5,
    keys: 10,
  };
}

function sentinel(addr: string): SentinelView {
  return {
    addr,
    host: addr.split(':')[0] ?? '',
    reachable: true,
    masterAddr: MASTER,
    latencyMs: 0.3,
    lastOkAt: 1_700_000_000_000,
    quorum: 2,
    downAfterMs: 5000,
    failoverTimeoutMs: 60000,
    parallelSyncs: 1,
    configEpoch: 0,
    masterFlags: ['master'],
    sentinelsKnown: 3,
    replicasKnown: 2,
    ckquorum: { ok: true, message: 'OK 3 usable Sentinels. Quorum and failover authorization can be reached' },
    peers: SENTINELS.filter((s) => s !== addr),
    replicaAddrs: [...REPLICAS],
  };
}

function server(name: string, addr: string, up: boolean): HaproxyServer {
  return {
    name,
    addr,
    nodeAddr: addr,
    status: up ? 'UP' : 'DOWN',
    routed: up,
    backup: false,
    checkStatus: up ? 'L7OK' : 'L7RSP',
    ...(up ? {} : { checkDesc: "TCPCHK did not match content 'role:master' at step 5" }),
    sessions: up ? 3 : 0,
    lastChangeSeconds: 100,
  };
}

export function healthySentinel(): SentinelSnapshot {
  return {
    kind: 'sentinel',
    clusterId: 's',
    clusterName: 'Sessions',
    masterName: 'mymaster',
    collectedAt: '2026-12-05T12:00:00.000Z',
    durationMs: 5,
    master: dataNode(MASTER, 'master'),
    replicas: REPLICAS.map((a) => dataNode(a, 'replica')),
    sentinels: SENTINELS.map(sentinel),
    agreement: { agreed: true, addrs: [MASTER], reachable: 3, total: 3 },
    haproxy: {
      backend: 'redis',
      source: 'socket',
      reachable: true,
      backendStatus: 'UP',
      servers: [server('r1', MASTER, true), server('r2', REPLICAS[0], false), server('r3', REPLICAS[1], false)],
    },
  };
}

/** The snapshot with sentinels stopped: unreachable, and the rest's CKQUORUM as Redis words it. */
export function withSentinelsDown(snapshot: SentinelSnapshot, down: number): SentinelSnapshot {
  const total = snapshot.sentinels.length;
  const usable = total - down;
  const ok = usable >= 2;
  const sentinels = snapshot.sentinels.map((s, i): SentinelView => {
    if (i >= usable)
      return { addr: s.addr, host: s.host, reachable: false, error: 'connect ECONNREFUSED', masterAddr: null };
    return {
      ...s,
      ckquorum: ok
        ? { ok: true, message: `OK ${usable} usable Sentinels. Quorum and failover authorization can be reached` }
        : {
            ok: false,
            message: `NOQUORUM ${usable} usable Sentinels. Not enough available Sentinels to reach the specified quorum for this master. Not enough available Sentinels to reach the majority and authorize a failover`,
          },
    };
  });
  return { ...snapshot, sentinels, agreement: { ...snapshot.agreement, reachable: usable } };
}
