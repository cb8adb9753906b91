import 'server-only';
import { REGISTRY_KEY } from '../collect/registryKey';
import type { ResolvedConfig } from '../config/load';
import { logMisdirected, misdirectedReason } from './misdirected';
import { hostIsAllowed, requestNetwork } from './requestNetwork';

type Holder = { [REGISTRY_KEY]?: { config: ResolvedConfig } };

/**
 * For proxy.ts (pages): 421 when the Host is not one of allowedHosts, 503 before the config is loaded; undefined
 * lets the page through. API routes check the same in route().
 */
export function refusePage(request: Request): Response | undefined {
  const config = (globalThis as Holder)[REGISTRY_KEY]?.config;
  const headers = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (!config) return new Response('Starting up; retry in a second.\n', { status: 503, headers });
  const network = requestNetwork(request, config);
  if (hostIsAllowed(network, config)) return undefined;
  logMisdirected(network.host);
  return new Response(`421 Misdirected Request: ${misdirectedReason(network.host)}\n`, { status: 421, headers });
}
