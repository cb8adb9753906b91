/**
 * One allow-list entry for addresses a user may type (a node to add, a seed): a host or CIDR, optionally ports.
 *   "10.0.0.0/8"                any port in 10/8
 *   "10.0.0.0/8:6379-6399"      a port range
 *   "10.1.2.3:7000"             one address
 *   "redis-7.internal:6379"     an exact host name (never resolved to widen the list)
 *   "[fd00::/8]:6379"           IPv6 in brackets
 */
export interface TargetRule {
  kind: 'cidr' | 'host';
  /** Network address (cidr) or lower-cased host name / IP literal (host). */
  address: string;
  prefix?: number;
  family?: 4 | 6;
  ports?: [number, number];
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:.]+$/;
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

function parsePorts(text: string | undefined): [number, number] | undefined | 'bad' {
  if (text === undefined) return undefined;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) return 'bad';
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  if (low < 1 || high > 65535 || high < low) return 'bad';
  return [low, high];
}

/** Parses one entry; returns an error sentence for a malformed one. */
export function parseTargetRule(entry: string): TargetRule | string {
  const bracketed = /^\[([^\]]+)\](?::(.+))?$/.exec(entry);
  let hostPart: string;
  let portPart: string | undefined;
  if (bracketed) {
    hostPart = bracketed[1] ?? '';
    portPart = bracketed[2];
  } else {
    const colon = entry.lastIndexOf(':');
    hostPart = colon === -1 ? entry : entry.slice(0, colon);
    portPart = colon === -1 ? undefined : entry.slice(colon + 1);
  }
  const ports = parsePorts(portPart);
  if (ports === 'bad') return 'ports must be "port" or "low-high" within 1-65535';
  const slash = hostPart.indexOf('/');
  if (slash !== -1) {
    const address = hostPart.slice(0, slash);
    const prefix = Number(hostPart.slice(slash + 1));
    const family = IPV4.test(address) ? 4 : bracketed && IPV6.test(address) && address.includes(':') ? 6 : undefined;
    if (!family) return 'a CIDR needs an IPv4 address, or an IPv6 address in brackets';
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) return 'bad CIDR prefix length';
    return { kind: 'cidr', address, prefix, family, ...(ports ? { ports } : {}) };
  }
  if (IPV4.test(hostPart) || (bracketed && IPV6.test(hostPart) && hostPart.includes(':')) || HOSTNAME.test(hostPart)) {
    return { kind: 'host', address: hostPart.toLowerCase(), ...(ports ? { ports } : {}) };
  }
  return 'expected "host[:ports]", "a.b.c.d/nn[:ports]" or "[ipv6/nn][:ports]"';
}
