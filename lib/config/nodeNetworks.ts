import { formatNetwork, type IpNetwork, inNetwork, networkOf, parseIp, parseNetwork } from '../net/ip';

/**
 * A cluster's `nodeNetworks`: where the dashboard may connect (and so send the cluster's password) when a node is
 * announced in CLUSTER NODES. One entry is a network ("10.0.0.0/24", "fd00:1::/64"), one address ("10.0.0.5"), or an
 * exact host name ("redis-1.internal", never resolved to widen the list).
 */
export type NodeNetwork = { kind: 'network'; cidr: IpNetwork } | { kind: 'host'; host: string };

/** The default widens each seed and natMap target to its /24 (IPv4) or /64 (IPv6). */
export const DEFAULT_PREFIX = { 4: 24, 6: 64 } as const;

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*$/;

/** Parses one entry; returns an error sentence for a malformed one. */
export function parseNodeNetwork(entry: string): NodeNetwork | string {
  if (entry.includes('/') || entry.includes(':') || /^[\d.]+$/.test(entry)) {
    const cidr = parseNetwork(entry);
    return typeof cidr === 'string' ? cidr : { kind: 'network', cidr };
  }
  if (HOSTNAME.test(entry)) return { kind: 'host', host: entry.toLowerCase() };
  return 'expected a network ("10.0.0.0/24", "fd00::/64"), an address, or a host name';
}

/** "host:port" -> host, IPv6 brackets removed. */
function hostOf(addr: string): string {
  const colon = addr.lastIndexOf(':');
  return (colon === -1 ? addr : addr.slice(0, colon)).replace(/^\[(.*)\]$/, '$1');
}

/**
 * The default for a cluster without `nodeNetworks`: the /24 (IPv4) or /64 (IPv6) of every seed and natMap target; a
 * seed or target given as a host name allows exactly that name. In order, without repeats.
 */
export function defaultNodeNetworks(seeds: readonly string[], natMapTargets: readonly string[]): string[] {
  const entries = [...seeds, ...natMapTargets].map((addr) => {
    const host = hostOf(addr);
    const ip = parseIp(host);
    return ip ? formatNetwork(networkOf(ip, DEFAULT_PREFIX[ip.family])) : host.toLowerCase();
  });
  return [...new Set(entries)];
}

/** What to add to nodeNetworks so a node at `addr` is polled: its /24 or /64, or its host name. */
export function suggestedNetwork(addr: string): string {
  return defaultNodeNetworks([addr], [])[0] ?? hostOf(addr);
}

/** Whether the host of `addr` ("host:port") lies inside one of the parsed entries. */
export function insideNodeNetworks(addr: string, networks: readonly NodeNetwork[]): boolean {
  const host = hostOf(addr);
  const ip = parseIp(host);
  return networks.some((n) =>
    n.kind === 'host' ? !ip && n.host === host.toLowerCase() : ip !== undefined && inNetwork(ip, n.cidr),
  );
}

/** The error a node's card shows when the dashboard does not connect to it. */
export function notPolledOutside(addr: string): string {
  return `not polled: ${addr} is outside nodeNetworks`;
}
