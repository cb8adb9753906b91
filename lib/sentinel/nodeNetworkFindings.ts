import { suggestedNetwork } from '../config/nodeNetworks';
import type { Finding } from '../findings/types';
import type { SentinelSnapshot } from './types';

/**
 * A data node a sentinel (or the master's INFO) names at an address outside the deployment's nodeNetworks: the
 * dashboard does not connect to it, so the data nodes' password is never sent there. Critical: either the config misses
 * a network, or a sentinel (rogue, or misconfigured) names a host that is not one of the deployment's nodes.
 */
export function nodeNetworkFindings(snapshot: SentinelSnapshot): Finding[] {
  const nodes = [...(snapshot.master ? [snapshot.master] : []), ...snapshot.replicas];
  return nodes
    .filter((n) => n.outsideNodeNetworks)
    .map((node) => {
      const addr = node.connectAddr ?? node.addr;
      const role = node === snapshot.master ? 'master' : 'replica';
      const naming = snapshot.sentinels
        .filter(
          (s) =>
            s.reachable &&
            (s.masterAddr === node.addr || s.masterFlagsAddr === node.addr || s.replicaAddrs?.includes(node.addr)),
        )
        .map((s) => s.addr);
      const by = naming.length ? `${naming.join(', ')} name${naming.length === 1 ? 's' : ''}` : 'the master lists';
      return {
        code: 'sentinel_node_outside_networks',
        severity: 'critical',
        nodeIds: [node.addr, ...naming],
        headline: `${role} ${node.addr} is outside nodeNetworks: not polled`,
        message: `${by} the ${role} ${node.addr}${addr !== node.addr ? ` (dialled at ${addr})` : ''}, outside this deployment's nodeNetworks: the dashboard does not connect to it (the data nodes' password is never sent there) and the guided failover refuses to touch it.`,
        action: `If the node is one of yours, add its network (e.g. "${suggestedNetwork(addr)}") to this deployment's nodeNetworks in the dashboard config (or a natMap entry for it). If nobody knows it, check SENTINEL MASTER / SENTINEL REPLICAS ${snapshot.masterName} on ${naming.length ? 'those sentinels' : 'every sentinel'}: a rogue or misconfigured sentinel, or a replica-announce-ip pointing elsewhere; fix it and run SENTINEL RESET ${snapshot.masterName} on each sentinel.`,
      } satisfies Finding;
    });
}
