import 'server-only';
import { timingSafeEqual } from 'node:crypto';
import { type IpAddress, parseIp } from '@/lib/net/ip';

/**
 * The socket peer, as the front entry (scripts/front-server.mjs, installed as .next/standalone/server.js) writes it on
 * every request: "<nonce> <remote address> <http|https>". The front drops any x-rcd-* header a client sent; the
 * per-process nonce tells its header from a forged one when the app runs without the front (next dev).
 */
export const PEER_HEADER = 'x-rcd-peer';
export const FRONT_NONCE_ENV = 'DASHBOARD_FRONT_NONCE';

export interface SocketPeer {
  address: IpAddress;
  /** https when the socket itself is TLS. */
  scheme: 'http' | 'https';
}

const WARNED = Symbol.for('redis-cluster-dashboard.no-front-warning');
type Holder = { [WARNED]?: true };

function warnOnce(): void {
  const holder = globalThis as Holder;
  if (holder[WARNED]) return;
  holder[WARNED] = true;
  console.warn(
    '[dashboard] not started through .next/standalone/server.js (e.g. next dev): client addresses are "unknown" and ' +
      'X-Forwarded-* headers are ignored',
  );
}

function sameNonce(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** undefined without the front, or when the header does not carry this process's nonce. */
export function socketPeer(
  headers: Headers,
  env: Record<string, string | undefined> = process.env,
): SocketPeer | undefined {
  const nonce = env[FRONT_NONCE_ENV];
  if (!nonce) {
    warnOnce();
    return undefined;
  }
  const [given, address, scheme] = (headers.get(PEER_HEADER) ?? '').split(' ');
  if (given === undefined || !sameNonce(given, nonce)) return undefined;
  const ip = parseIp(address ?? '');
  return ip ? { address: ip, scheme: scheme === 'https' ? 'https' : 'http' } : undefined;
}
