/**
 * IPv4 and IPv6 addresses and networks (CIDR), parsed to bytes and compared by prefix. No I/O, no host names: both
 * sides may import it. An IPv4-mapped IPv6 address (::ffff:10.1.2.3) is the IPv4 address it maps.
 */
export interface IpAddress {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

export interface Cidr extends IpAddress {
  /** Prefix length: 0-32 (IPv4), 0-128 (IPv6). */
  prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const HEXTET = /^[0-9a-fA-F]{1,4}$/;

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return Uint8Array.from(parts.map(Number));
}

/** Hextets of one side of "::" (an IPv4 tail counts as two); undefined when malformed. */
function hextets(side: string, ipv4Tail: boolean): number[] | undefined {
  if (side === '') return [];
  const groups = side.split(':');
  const out: number[] = [];
  for (const [i, group] of groups.entries()) {
    if (ipv4Tail && i === groups.length - 1 && group.includes('.')) {
      const v4 = parseIpv4(group);
      if (!v4) return undefined;
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else if (HEXTET.test(group)) out.push(Number.parseInt(group, 16));
    else return undefined;
  }
  return out;
}

function parseIpv6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const [head = '', tail] = halves;
  const left = hextets(head, tail === undefined);
  const right = tail === undefined ? [] : hextets(tail, true);
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...left, ...Array<number>(tail === undefined ? 0 : missing).fill(0), ...right];
  const bytes = new Uint8Array(16);
  all.forEach((h, i) => {
    bytes[i * 2] = h >> 8;
    bytes[i * 2 + 1] = h & 0xff;
  });
  return bytes;
}

/** "10.1.2.3" or "fd00::1" (no brackets, no zone); undefined for anything else, host names included. */
export function parseIp(text: string): IpAddress | undefined {
  const v4 = parseIpv4(text);
  if (v4) return { family: 4, bytes: v4 };
  if (!text.includes(':')) return undefined;
  const v6 = parseIpv6(text);
  return v6 ? { family: 6, bytes: v6 } : undefined;
}

/** "10.0.0.0/8", "fd00::/8"; a bare address is its own /32 or /128. Returns an error sentence when malformed. */
export function parseCidr(text: string): Cidr | string {
  const slash = text.indexOf('/');
  const address = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (!address) return 'expected an IPv4 or IPv6 network, e.g. "10.0.0.0/24" or "fd00::/64"';
  const max = address.family === 4 ? 32 : 128;
  if (slash === -1) return { ...address, prefix: max };
  const prefixText = text.slice(slash + 1);
  const prefix = Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText) || prefix > max) return `prefix length must be 0-${max}`;
  return { ...address, prefix };
}

/** The IPv4 address an IPv4-mapped IPv6 address (::ffff:a.b.c.d) stands for. */
function unmapped(ip: IpAddress): IpAddress {
  if (ip.family === 4) return ip;
  const mapped = ip.bytes.slice(0, 10).every((b) => b === 0) && ip.bytes[10] === 0xff && ip.bytes[11] === 0xff;
  return mapped ? { family: 4, bytes: ip.bytes.slice(12) } : ip;
}

function samePrefix(a: Uint8Array, b: Uint8Array, prefix: number): boolean {
  const whole = Math.floor(prefix / 8);
  for (let i = 0; i < whole; i++) if (a[i] !== b[i]) return false;
  const rest = prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((a[whole] ?? 0) & mask) === ((b[whole] ?? 0) & mask);
}

/** Whether `ip` (text or parsed) lies inside `cidr`. Host names and malformed text are never inside. */
export function cidrContains(cidr: Cidr, ip: string | IpAddress): boolean {
  const parsed = typeof ip === 'string' ? parseIp(ip) : ip;
  if (!parsed) return false;
  const address = unmapped(parsed);
  const network = unmapped(cidr);
  // A mapped network (::ffff:10.0.0.0/104) compares as the IPv4 one it maps.
  const prefix = network.family === 4 && cidr.family === 6 ? Math.max(0, cidr.prefix - 96) : cidr.prefix;
  return address.family === network.family && samePrefix(address.bytes, network.bytes, prefix);
}

/** The network of `ip` with `prefix` bits (host bits cleared), e.g. 10.1.2.3 + 24 -> 10.1.2.0/24. */
export function networkOf(ip: IpAddress, prefix: number): Cidr {
  const bytes = ip.bytes.slice();
  for (let bit = prefix; bit < bytes.length * 8; bit++) {
    const i = Math.floor(bit / 8);
    bytes[i] = (bytes[i] ?? 0) & ~(0x80 >> (bit % 8)) & 0xff;
  }
  return { family: ip.family, bytes, prefix };
}

/** "10.1.2.0/24", "fd00:1:2:3::/64" (IPv6 in its short form: the longest run of zero hextets as "::"). */
export function formatCidr(cidr: Cidr): string {
  if (cidr.family === 4) return `${[...cidr.bytes].join('.')}/${cidr.prefix}`;
  const groups = Array.from({ length: 8 }, (_, i) => ((cidr.bytes[i * 2] ?? 0) << 8) | (cidr.bytes[i * 2 + 1] ?? 0));
  let best = { at: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i > 1) best = { at: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text =
    best.at === -1
      ? hex.join(':')
      : `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
  return `${text}/${cidr.prefix}`;
}
