import { ReplyParseError } from './errors';
import { isSlot, normalizeRanges, type SlotRange } from './slots';

export const NODE_FLAGS = [
  'myself',
  'master',
  'slave',
  'fail?',
  'fail',
  'handshake',
  'noaddr',
  'nofailover',
  'noflags',
] as const;
export type NodeFlag = (typeof NODE_FLAGS)[number];

export interface ClusterNodeLine {
  id: string;
  /** Announced address; empty host and port 0 when the node has no address yet (noaddr). */
  host: string;
  port: number;
  busPort: number;
  hostname?: string;
  /** Auxiliary fields after the hostname (7.2+: shard-id=..., tls-port=...). */
  aux: Record<string, string>;
  flags: string[];
  myself: boolean;
  role: 'master' | 'replica' | 'unknown';
  masterId: string | null;
  pingSentMs: number;
  pongRecvMs: number;
  configEpoch: number;
  linkState: 'connected' | 'disconnected';
  slots: SlotRange[];
  /** Only on the line of the node that has them (the source): [slot->-targetId]. */
  migrating: Array<{ slot: number; to: string }>;
  /** Only on the line of the node that has them (the target): [slot-<-sourceId]. */
  importing: Array<{ slot: number; from: string }>;
}

const NODE_ID = /^[0-9a-f]{40}$/;
const KNOWN_FLAGS = new Set<string>(NODE_FLAGS);

function integer(text: string, what: string, line: number): number {
  if (!/^-?\d+$/.test(text))
    throw new ReplyParseError('CLUSTER NODES', `${what} is not an integer: ${JSON.stringify(text)}`, line);
  return Number(text);
}

function parseAddress(field: string, line: number) {
  const [addrPart = '', hostname, ...auxParts] = field.split(',');
  const at = addrPart.lastIndexOf('@');
  const hostPort = at === -1 ? addrPart : addrPart.slice(0, at);
  const colon = hostPort.lastIndexOf(':');
  if (colon === -1) throw new ReplyParseError('CLUSTER NODES', `address has no port: ${JSON.stringify(field)}`, line);
  const host = hostPort.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = integer(hostPort.slice(colon + 1), 'port', line);
  const busPort = at === -1 ? 0 : integer(addrPart.slice(at + 1), 'cluster bus port', line);
  if (port < 0 || port > 65535 || busPort < 0 || busPort > 65535) {
    throw new ReplyParseError('CLUSTER NODES', `port out of range: ${JSON.stringify(field)}`, line);
  }
  const aux: Record<string, string> = {};
  for (const part of auxParts) {
    const eq = part.indexOf('=');
    if (eq > 0) aux[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return { host, port, busPort, hostname: hostname ? hostname : undefined, aux };
}

function slotNumber(text: string, line: number): number {
  const slot = integer(text, 'slot', line);
  if (!isSlot(slot)) throw new ReplyParseError('CLUSTER NODES', `slot out of range: ${slot}`, line);
  return slot;
}

function parseSlotFields(fields: string[], line: number) {
  const slots: SlotRange[] = [];
  const migrating: ClusterNodeLine['migrating'] = [];
  const importing: ClusterNodeLine['importing'] = [];
  for (const field of fields) {
    const marker = /^\[(\d+)-([<>])-([0-9a-f]{40})\]$/.exec(field);
    if (marker) {
      const [, slotText = '', arrow, peer = ''] = marker;
      const slot = slotNumber(slotText, line);
      if (arrow === '>') migrating.push({ slot, to: peer });
      else importing.push({ slot, from: peer });
      continue;
    }
    const range = /^(\d+)(?:-(\d+))?$/.exec(field);
    if (!range) throw new ReplyParseError('CLUSTER NODES', `unknown slot field: ${JSON.stringify(field)}`, line);
    const start = slotNumber(range[1] ?? '', line);
    const end = range[2] === undefined ? start : slotNumber(range[2], line);
    if (end < start) throw new ReplyParseError('CLUSTER NODES', `slot range ends before it starts: ${field}`, line);
    slots.push([start, end]);
  }
  return { slots: normalizeRanges(slots), migrating, importing };
}

export function parseClusterNodeLine(text: string, line = 1): ClusterNodeLine {
  const fields = text.trim().split(/\s+/);
  if (fields.length < 8)
    throw new ReplyParseError('CLUSTER NODES', `expected at least 8 fields, got ${fields.length}`, line);
  const [
    id = '',
    address = '',
    flagText = '',
    master = '',
    pingSent = '',
    pongRecv = '',
    epoch = '',
    link = '',
    ...rest
  ] = fields;
  if (!NODE_ID.test(id)) throw new ReplyParseError('CLUSTER NODES', `bad node id: ${JSON.stringify(id)}`, line);
  if (master !== '-' && !NODE_ID.test(master))
    throw new ReplyParseError('CLUSTER NODES', `bad master id: ${JSON.stringify(master)}`, line);
  if (link !== 'connected' && link !== 'disconnected') {
    throw new ReplyParseError('CLUSTER NODES', `bad link state: ${JSON.stringify(link)}`, line);
  }
  const flags = flagText.split(',').filter((f) => f !== '' && f !== 'noflags');
  // Unknown flags from newer servers are kept, but text that is not a flag list at all is refused.
  if (flags.some((f) => !KNOWN_FLAGS.has(f) && !/^[a-z?_-]+$/.test(f))) {
    throw new ReplyParseError('CLUSTER NODES', `bad flags: ${JSON.stringify(flagText)}`, line);
  }
  const role = flags.includes('master') ? 'master' : flags.includes('slave') ? 'replica' : 'unknown';
  return {
    id,
    ...parseAddress(address, line),
    flags,
    myself: flags.includes('myself'),
    role,
    masterId: master === '-' ? null : master,
    pingSentMs: integer(pingSent, 'ping-sent', line),
    pongRecvMs: integer(pongRecv, 'pong-recv', line),
    configEpoch: integer(epoch, 'config-epoch', line),
    linkState: link,
    ...parseSlotFields(rest, line),
  };
}

export function parseClusterNodes(text: string): ClusterNodeLine[] {
  const lines = text.split(/\r?\n/);
  const nodes: ClusterNodeLine[] = [];
  lines.forEach((lineText, i) => {
    if (lineText.trim() !== '') nodes.push(parseClusterNodeLine(lineText, i + 1));
  });
  if (nodes.length === 0) throw new ReplyParseError('CLUSTER NODES', 'empty reply');
  if (nodes.filter((n) => n.myself).length > 1)
    throw new ReplyParseError('CLUSTER NODES', 'more than one node flagged myself');
  return nodes;
}
