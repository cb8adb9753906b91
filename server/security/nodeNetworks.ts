import 'server-only';
import { insideNodeNetworks, type NodeNetwork, parseNodeNetwork } from '@/lib/config/nodeNetworks';
import type { ResolvedCluster } from '../config/load';

type Dialling = Pick<ResolvedCluster, 'id' | 'seeds' | 'natMap' | 'nodeNetworks'>;

/** An address the cluster's nodes announced, outside its nodeNetworks: nothing is sent to it. */
export class OutsideNodeNetworks extends Error {
  override readonly name = 'OutsideNodeNetworks';
  constructor(
    readonly addr: string,
    clusterId: string,
  ) {
    super(`${addr} is outside the nodeNetworks of cluster "${clusterId}": the dashboard does not connect to it`);
  }
}

const parsed = new WeakMap<readonly string[], NodeNetwork[]>();

function networksOf(cluster: Dialling): NodeNetwork[] {
  let networks = parsed.get(cluster.nodeNetworks);
  if (!networks) {
    // The schema refused malformed entries; one slipping through here allows nothing.
    networks = cluster.nodeNetworks.map(parseNodeNetwork).filter((n): n is NodeNetwork => typeof n !== 'string');
    parsed.set(cluster.nodeNetworks, networks);
  }
  return networks;
}

/**
 * Whether the dashboard may connect to `addr` (the address it dials, the natMap applied): a seed or natMap target as
 * configured, or an address inside nodeNetworks.
 */
export function dialAllowed(cluster: Dialling, addr: string): boolean {
  if (cluster.seeds.includes(addr) || Object.values(cluster.natMap).includes(addr)) return true;
  return insideNodeNetworks(addr, networksOf(cluster));
}

export function assertDialAllowed(cluster: Dialling, addr: string): void {
  if (!dialAllowed(cluster, addr)) throw new OutsideNodeNetworks(addr, cluster.id);
}
