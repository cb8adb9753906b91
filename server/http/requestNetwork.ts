import 'server-only';
import { type HostRule, hostAllowed } from '@/lib/net/allowedHost';
import { clientFromChain, UNKNOWN_CLIENT } from '@/lib/net/forwardedFor';
import { formatIp, type IpNetwork, inNetworks } from '@/lib/net/ip';
import { socketPeer } from './peer';

export interface NetworkConfig {
  trustedProxies: readonly IpNetwork[];
  allowedHosts: readonly HostRule[];
}

/** Who is calling and which address they used, from the socket and, only from a trusted proxy, X-Forwarded-*. */
export interface RequestNetwork {
  /** The client's IP address, or "unknown" without the front entry. */
  client: string;
  /** "host[:port]" the browser asked for: Host, or X-Forwarded-Host from a trusted proxy. */
  host: string | undefined;
  scheme: 'http' | 'https';
  /** The socket peer is in trustedProxies. */
  viaTrustedProxy: boolean;
}

/** The value the nearest proxy added: the right-most of a comma-separated header. */
function nearest(headers: Headers, name: string): string | undefined {
  const value = headers.get(name)?.split(',').at(-1)?.trim();
  return value || undefined;
}

export function requestNetwork(request: Request, config: NetworkConfig): RequestNetwork {
  const { headers } = request;
  // No Host header (HTTP/1.0, or a Request made in-process): the URL's host, which Next builds from the listen address.
  const host = headers.get('host') ?? new URL(request.url).host;
  const peer = socketPeer(headers);
  if (!peer) return { client: UNKNOWN_CLIENT, host, scheme: 'http', viaTrustedProxy: false };
  if (!inNetworks(peer.address, config.trustedProxies)) {
    return { client: formatIp(peer.address), host, scheme: peer.scheme, viaTrustedProxy: false };
  }
  const proto = nearest(headers, 'x-forwarded-proto')?.toLowerCase();
  return {
    client: clientFromChain(peer.address, headers.get('x-forwarded-for'), config.trustedProxies),
    host: nearest(headers, 'x-forwarded-host') ?? host,
    scheme: proto === 'https' || proto === 'http' ? proto : peer.scheme,
    viaTrustedProxy: true,
  };
}

/** The Host the request names is one this dashboard serves (allowedHosts); refused with 421 otherwise. */
export function hostIsAllowed(network: RequestNetwork, config: NetworkConfig): boolean {
  return hostAllowed(network.host, config.allowedHosts);
}
