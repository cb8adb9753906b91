import { formatIp, type IpAddress, type IpNetwork, inNetworks, parseIp } from './ip';

/** What the client address is called when nothing trustworthy says it. */
export const UNKNOWN_CLIENT = 'unknown';

/** One X-Forwarded-For entry: an address, some proxies add a port ("10.0.0.1:5173", "[fd00::1]:443"). */
export function parseForwardedEntry(entry: string): IpAddress | undefined {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed?.[1]) return parseIp(bracketed[1]);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  return parseIp(v4WithPort?.[1] ?? text);
}

/**
 * The client behind a chain of proxies. Each proxy appends the address it received the request from, so the chain
 * is read from the right, starting at the socket peer: trusted proxies are skipped and the first address not in
 * `trusted` is the client. Everything left of it was written by that client and is ignored. When every hop is
 * trusted, the left-most one is the client; an entry that is not an address makes the client unknown.
 */
export function clientFromChain(peer: IpAddress, forwardedFor: string | null, trusted: readonly IpNetwork[]): string {
  const entries = (forwardedFor ?? '').split(',').filter((entry) => entry.trim() !== '');
  let client = peer;
  for (let i = entries.length - 1; i >= 0 && inNetworks(client, trusted); i--) {
    const hop = parseForwardedEntry(entries[i] ?? '');
    if (!hop) return UNKNOWN_CLIENT;
    client = hop;
  }
  return formatIp(client);
}
