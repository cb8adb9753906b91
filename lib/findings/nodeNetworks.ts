import type { ClusterSnapshot } from '../cluster/types';
import { suggestedNetwork } from '../config/nodeNetworks';
import { nodeName } from './describe';
import type { Finding } from './types';

/**
 * A member announced at an address outside the cluster's nodeNetworks: the dashboard does not connect to it (the
 * cluster's password would go there). Critical: either the configuration misses a network, or someone with access to
 * the cluster bus MEETed a node of their own into the cluster, and the cluster now gossips with it.
 */
export function nodeNetworkFindings(snapshot: ClusterSnapshot): Finding[] {
  return snapshot.nodes
    .filter((n) => n.outsideNodeNetworks)
    .map((node) => {
      const addr = node.connectAddr ?? node.addr;
      const slots = node.role === 'master' && node.slotCount > 0 ? `, owning ${node.slotCount} slots` : '';
      return {
        code: 'node_outside_networks',
        severity: 'critical',
        nodeIds: [node.id],
        headline: `${node.role === 'master' ? 'Master' : node.role === 'replica' ? 'Replica' : 'Node'} ${nodeName(node)} is outside nodeNetworks: not polled`,
        message: `The cluster lists ${node.role} ${nodeName(node)}${slots}, at ${addr}, outside this cluster's nodeNetworks: the dashboard does not connect to it (the cluster's password is never sent there) and operations refuse to touch it.`,
        action: `If the node is legitimate, add its network (e.g. "${suggestedNetwork(addr)}") to this cluster's nodeNetworks in the dashboard config. If nobody knows it, someone with access to the cluster bus MEETed it: run CLUSTER FORGET ${node.id} on every other node within 60 s, and close the bus port (port + 10000) to everything but the nodes.`,
      } satisfies Finding;
    });
}
