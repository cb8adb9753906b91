import 'server-only';
import { lookup } from 'node:dns/promises';
import { DEFAULT_PREFIX, insideNodeNetworks, type NodeNetwork, parseNodeNetwork } from '@/lib/config/nodeNetworks';
import { networkOf, parseIp } from '@/lib/net/ip';
import type { ResolvedCluster, ResolvedSentinel } from '../config/load';

type Dialling = Pick<ResolvedCluster, 'id' | 'seeds' | 'natMap' | 'nodeNetworks' | 'nodeNetworksByDefault'>;

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
  return insideNodeNetworks(addr, networksOf(cluster)) || insideNodeNetworks(addr, learned.get(cluster) ?? []);
}

// The default networks of host-name seeds and natMap targets, from what the names resolve to (per cluster config).
const learned = new WeakMap<Dialling, NodeNetwork[]>();
const LOOKUP_DEADLINE_MS = 2000;

function hostOf(addr: string): string {
  return addr.slice(0, addr.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1');
}

/**
 * Without a configured nodeNetworks, a seed given as a host name ("redis-0.internal:6379", "localhost:7000") also
 * allows the /24 or /64 of every address it resolves to, as an IP seed does: the nodes announce addresses, not the
 * name. Called before a poller's first poll; a name that does not resolve in time adds nothing (the seed itself is
 * still allowed by name).
 */
export async function learnSeedNetworks(cluster: Dialling): Promise<void> {
  if (!cluster.nodeNetworksByDefault || learned.has(cluster)) return;
  const names = [...cluster.seeds, ...Object.values(cluster.natMap)].map(hostOf).filter((h) => !parseIp(h));
  const networks: NodeNetwork[] = [];
  await Promise.all(
    [...new Set(names)].map(async (name) => {
      const deadline = new Promise<[]>((resolve) => setTimeout(() => resolve([]), LOOKUP_DEADLINE_MS).unref());
      const found = await Promise.race([lookup(name, { all: true }).catch(() => []), deadline]);
      for (const { address } of found) {
        const ip = parseIp(address);
        if (ip) networks.push({ kind: 'network', cidr: networkOf(ip, DEFAULT_PREFIX[ip.family]) });
      }
    }),
  );
  learned.set(cluster, networks);
}

const sentinelDiallings = new WeakMap<ResolvedSentinel, Dialling>();

/**
 * A Sentinel deployment's data nodes as nodeNetworks sees them: the sentinels stand where a cluster's seeds do (their
 * networks are the default), the natMap targets are allowed as configured. One object per deployment config, so what
 * learnSeedNetworks learns is kept.
 */
export function sentinelDialling(deployment: ResolvedSentinel): Dialling {
  let dialling = sentinelDiallings.get(deployment);
  if (!dialling) {
    dialling = {
      id: deployment.id,
      seeds: deployment.sentinels,
      natMap: deployment.natMap,
      nodeNetworks: deployment.nodeNetworks,
      ...(deployment.nodeNetworksByDefault ? { nodeNetworksByDefault: true } : {}),
    };
    sentinelDiallings.set(deployment, dialling);
  }
  return dialling;
}

export function assertDialAllowed(cluster: Dialling, addr: string): void {
  if (!dialAllowed(cluster, addr)) throw new OutsideNodeNetworks(addr, cluster.id);
}
