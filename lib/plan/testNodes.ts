import type { ClusterSnapshot, SnapshotNode } from '../cluster/types';

/** Snapshot builders for planner unit tests: a node from an id and an address, slots as given. */
export function testNode(id: string, addr: string, over: Partial<SnapshotNode> = {}): SnapshotNode {
  const colon = addr.lastIndexOf(':');
  const slots = over.slots ?? [];
  return {
    id,
    addr,
    host: addr.slice(0, colon),
    port: Number(addr.slice(colon + 1)),
    role: 'master',
    masterId: null,
    flags: ['master'],
    linkState: 'connected',
    configEpoch: 1,
    pingSentMs: 0,
    pongRecvMs: 0,
    slots,
    slotCount: slots.reduce((sum, [a, b]) => sum + b - a + 1, 0),
    migrating: [],
    importing: [],
    reachable: true,
    ...over,
  };
}

export const testReplica = (id: string, addr: string, masterId: string, over: Partial<SnapshotNode> = {}) =>
  testNode(id, addr, { role: 'replica', masterId, flags: ['slave'], ...over });

export const testSnapshot = (nodes: SnapshotNode[], over: Partial<ClusterSnapshot> = {}): ClusterSnapshot => ({
  clusterId: 'c',
  clusterName: 'c',
  collectedAt: new Date(0).toISOString(),
  pollDurationMs: 1,
  status: 'ok',
  state: {},
  referenceNodeId: nodes[0]?.id ?? null,
  nodes,
  unidentified: [],
  summary: { nodes: nodes.length, masters: 0, replicas: 0, reachable: nodes.length, slotsCovered: 16384 },
  ...over,
});
