import { ReplyParseError } from './errors';
import { isSlot, normalizeRanges, type SlotRange } from './slots';

export interface ShardNode {
  id: string;
  ip?: string;
  endpoint?: string;
  hostname?: string;
  port?: number;
  tlsPort?: number;
  role: string;
  replicationOffset: number;
  health: string;
}

export interface Shard {
  slots: SlotRange[];
  nodes: ShardNode[];
}

type Reply = string | number | null | Reply[];

function fail(message: string): never {
  throw new ReplyParseError('CLUSTER SHARDS', message);
}

/** RESP2 maps arrive as flat [key, value, key, value, ...] arrays. */
function pairs(value: Reply, what: string): Map<string, Reply> {
  if (!Array.isArray(value) || value.length % 2 !== 0) fail(`${what} is not a key/value list`);
  const map = new Map<string, Reply>();
  for (let i = 0; i < value.length; i += 2) {
    const key = value[i];
    if (typeof key !== 'string') fail(`${what} has a non-text key`);
    map.set(key, value[i + 1] ?? null);
  }
  return map;
}

function optionalNumber(value: Reply | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function optionalText(value: Reply | undefined): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function parseShardSlots(value: Reply | undefined): SlotRange[] {
  if (!Array.isArray(value) || value.length % 2 !== 0) fail('slots is not a list of start/end pairs');
  const ranges: SlotRange[] = [];
  for (let i = 0; i < value.length; i += 2) {
    const start = Number(value[i]);
    const end = Number(value[i + 1]);
    if (!isSlot(start) || !isSlot(end) || end < start)
      fail(`bad slot range ${String(value[i])}-${String(value[i + 1])}`);
    ranges.push([start, end]);
  }
  return normalizeRanges(ranges);
}

function parseShardNode(value: Reply): ShardNode {
  const node = pairs(value, 'shard node');
  const id = optionalText(node.get('id'));
  if (!id || !/^[0-9a-f]{40}$/.test(id)) fail('shard node without a valid id');
  return {
    id,
    ip: optionalText(node.get('ip')),
    endpoint: optionalText(node.get('endpoint')),
    hostname: optionalText(node.get('hostname')),
    port: optionalNumber(node.get('port')),
    tlsPort: optionalNumber(node.get('tls-port')),
    role: optionalText(node.get('role')) ?? 'unknown',
    replicationOffset: optionalNumber(node.get('replication-offset')) ?? 0,
    health: optionalText(node.get('health')) ?? 'unknown',
  };
}

export function parseClusterShards(reply: unknown): Shard[] {
  if (!Array.isArray(reply)) fail('reply is not a list');
  return (reply as Reply[]).map((entry) => {
    const shard = pairs(entry, 'shard');
    const nodes = shard.get('nodes');
    if (!Array.isArray(nodes)) fail('shard without a nodes list');
    return { slots: parseShardSlots(shard.get('slots')), nodes: nodes.map(parseShardNode) };
  });
}
