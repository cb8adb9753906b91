import 'server-only';
import { hostIsAllowed, type NetworkConfig, type RequestNetwork } from '../http/requestNetwork';

/**
 * The origin the browser used: the real scheme and the host it asked for (X-Forwarded-* only from a trusted proxy);
 * undefined unless that host is one of allowedHosts.
 */
export function ownOrigin(network: RequestNetwork, config: NetworkConfig): string | undefined {
  if (!hostIsAllowed(network, config)) return undefined;
  return new URL(`${network.scheme}://${network.host}`).origin;
}

/**
 * CSRF guard for mutations, on top of the SameSite=Strict cookie: the Origin header must be present, not "null",
 * and be this server's own origin or one configured in allowedOrigins.
 */
export function sameOrigin(
  request: Request,
  network: RequestNetwork,
  config: NetworkConfig & { allowedOrigins: readonly string[] },
): boolean {
  const origin = request.headers.get('origin');
  if (!origin || origin === 'null') return false;
  return origin === ownOrigin(network, config) || config.allowedOrigins.includes(origin);
}
