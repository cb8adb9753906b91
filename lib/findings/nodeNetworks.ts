import type { ClusterSnapshot } from '../cluster/types';
import { suggestedNetwork } from '../config/nodeNetworks';
import { formatCount } from '../format';
import { slotsInRanges } from '../redis/slots';
import { nodeName, slotList } from './describe';
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
      const network = suggestedNetwork(addr);
      const owning = node.role === 'master' && node.slotCount > 0;
      const slots = owning
        ? `, owning ${formatCount(node.slotCount)} slots (${slotList(slotsInRanges(node.slots))})`
        : '';
      const role = node.role === 'master' ? 'Master' : node.role === 'replica' ? 'Replica' : 'Node';
      const addNetwork = `add its network (e.g. "${network}") to this cluster's nodeNetworks in the dashboard config`;
      const forget = `run CLUSTER FORGET ${node.id} on every other node within 60 s, and close the bus port (port + 10000) to everything but the nodes.`;
      return {
        code: 'node_outside_networks',
        severity: 'critical',
        nodeIds: [node.id],
        headline: `${role} ${nodeName(node)}${owning ? ` (${formatCount(node.slotCount)} slots)` : ''} is outside nodeNetworks: not polled`,
        message: `The cluster lists ${node.role} ${nodeName(node)}${slots}, at ${addr}, outside this cluster's nodeNetworks: the dashboard does not connect to it (the cluster's password is never sent there) and operations refuse to touch it.`,
        action: owning
          ? `Do not forget this node first: it serves ${formatCount(node.slotCount)} slots, and CLUSTER FORGET would leave them unserved. First check whether nodeNetworks is simply wrong: if the node is one of yours, ${addNetwork}. Only if nobody knows it (someone with access to the cluster bus MEETed it): give its slots to a known master first (e.g. redis-cli --cluster fix; the keys it holds are lost to you), then ${forget}`
          : `If the node is legitimate, ${addNetwork}. If nobody knows it, someone with access to the cluster bus MEETed it: ${forget}`,
      } satisfies Finding;
    });
}
