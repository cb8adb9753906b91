/**
 * IP addresses and networks (CIDR) as plain data (JSON-safe byte arrays), for the trusted-proxy list, the client
 * address and the clusters' nodeNetworks. No I/O, no host names: both sides may import it. An IPv4-mapped IPv6
 * address ("::ffff:10.0.0.1", as a dual-stack socket reports IPv4 peers) is the IPv4 address.
 */
export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: number[];
}

export interface IpNetwork extends IpAddress {
  prefix: number;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): number[] | undefined {
  return IPV4.test(text) ? text.split('.').map(Number) : undefined;
}

/** Colon-separated hex groups; the last may be a dotted quad when `dottedTail` (it ends the address). */
function parseGroups(text: string, dottedTail: boolean): number[] | undefined {
  if (text === '') return [];
  const bytes: number[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    const v4 = dottedTail && i === parts.length - 1 && part.includes('.') ? parseIpv4(part) : undefined;
    if (v4) bytes.push(...v4);
    else if (GROUP.test(part)) bytes.push(Number.parseInt(part, 16) >> 8, Number.parseInt(part, 16) & 0xff);
    else return undefined;
  }
  return bytes;
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '', true) : [];
  if (!head || !tail) return undefined;
  const missing = 16 - head.length - tail.length;
  if (halves.length === 2 ? missing < 2 : missing !== 0) return undefined;
  return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

function isV4Mapped(bytes: number[]): boolean {
  return bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** "10.0.0.1", "fd00::1", "[fd00::1]", "fe80::1%eth0" (zone dropped); undefined when not an IP literal. */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '');
  const v4 = parseIpv4(bare);
  if (v4) return { family: 4, bytes: v4 };
  const v6 = bare.includes(':') ? parseIpv6(bare) : undefined;
  if (!v6) return undefined;
  return isV4Mapped(v6) ? { family: 4, bytes: v6.slice(12) } : { family: 6, bytes: v6 };
}

/** Dotted quad, or the RFC 5952 short form for IPv6 ("2001:db8::1"). */
export function formatIp(address: IpAddress): string {
  if (address.family === 4) return address.bytes.join('.');
  const groups = Array.from(
    { length: 8 },
    (_, i) => ((address.bytes[2 * i] ?? 0) << 8) | (address.bytes[2 * i + 1] ?? 0),
  );
  // The longest run of two or more zero groups becomes "::".
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length) best = { at: i, length: j - i };
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at === -1) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

/** "10.0.0.0/8", "10.0.0.5" (a /32), "fd00::/8", "[fd00::]/8", "::1" (a /128); an error sentence otherwise. */
export function parseNetwork(text: string): IpNetwork | string {
  const match = /^\[?([^\]/]+)\]?(?:\/(\d{1,3}))?$/.exec(text.trim());
  const address = match?.[1] === undefined ? undefined : parseIp(match[1]);
  if (!match || !address) return 'expected an IP address or a CIDR ("10.0.0.0/8", "fd00::/8")';
  const bits = address.family === 4 ? 32 : 128;
  // "::ffff:10.0.0.0/104" is the IPv4 network 10.0.0.0/8.
  const mappedOffset = address.family === 4 && match[1]?.includes(':') ? 96 : 0;
  const prefix = match[2] === undefined ? bits : Number(match[2]) - mappedOffset;
  if (prefix < 0 || prefix > bits) return `prefix length must be 0-${bits + mappedOffset}`;
  return { ...address, prefix };
}

export function inNetwork(address: IpAddress, network: IpNetwork): boolean {
  if (address.family !== network.family) return false;
  for (let bit = 0; bit < network.prefix; bit += 8) {
    const take = Math.min(8, network.prefix - bit);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((address.bytes[bit / 8] ?? 0) & mask) !== ((network.bytes[bit / 8] ?? 0) & mask)) return false;
  }
  return true;
}

export function inNetworks(address: IpAddress, networks: readonly IpNetwork[]): boolean {
  return networks.some((network) => inNetwork(address, network));
}

/** The network of `address` with `prefix` bits (host bits cleared), e.g. 10.1.2.3 + 24 -> 10.1.2.0/24. */
export function networkOf(address: IpAddress, prefix: number): IpNetwork {
  const bytes = address.bytes.map((byte, i) => {
    const kept = Math.max(0, Math.min(8, prefix - i * 8));
    return byte & ((0xff << (8 - kept)) & 0xff);
  });
  return { family: address.family, bytes, prefix };
}

/** "10.1.2.0/24", "fd00:1:2:3::/64". */
export function formatNetwork(network: IpNetwork): string {
  return `${formatIp(network)}/${network.prefix}`;
}

/**
 * What throttles and budgets count a client by: its address, or for IPv6 its /64 (one host usually holds a whole /64,
 * so counting single addresses would let it pick a fresh one per guess). Anything else is counted as given.
 */
export function clientKey(client: string): string {
  const address = parseIp(client);
  return address?.family === 6 ? formatNetwork(networkOf(address, 64)) : client;
}
