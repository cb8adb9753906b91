import { ReplyParseError } from './errors';

export interface ClusterLink {
  direction: 'to' | 'from' | string;
  node: string;
  createTime: number;
  events: string;
  sendBufferAllocated: number;
  sendBufferUsed: number;
}

/** CLUSTER LINKS (7.0+) in RESP2: a list of flat [field, value, ...] lists. */
export function parseClusterLinks(reply: unknown): ClusterLink[] {
  if (!Array.isArray(reply)) throw new ReplyParseError('CLUSTER LINKS', 'reply is not a list');
  return reply.map((entry, i) => {
    if (!Array.isArray(entry) || entry.length % 2 !== 0)
      throw new ReplyParseError('CLUSTER LINKS', `entry ${i} is not a key/value list`);
    const f = new Map<string, unknown>();
    for (let k = 0; k < entry.length; k += 2) f.set(String(entry[k]), entry[k + 1]);
    const node = f.get('node');
    if (typeof node !== 'string') throw new ReplyParseError('CLUSTER LINKS', `entry ${i} has no node`);
    return {
      direction: String(f.get('direction') ?? ''),
      node,
      createTime: Number(f.get('create-time') ?? 0),
      events: String(f.get('events') ?? ''),
      sendBufferAllocated: Number(f.get('send-buffer-allocated') ?? 0),
      sendBufferUsed: Number(f.get('send-buffer-used') ?? 0),
    };
  });
}
