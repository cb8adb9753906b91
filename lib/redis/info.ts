import { ReplyParseError } from './errors';

export interface KeyspaceDb {
  keys: number;
  expires: number;
  avgTtl: number;
}

export interface ReplicaEntry {
  ip: string;
  port: number;
  state: string;
  offset: number;
  lag: number;
}

export interface ParsedInfo {
  /** Section name (lower case) -> field -> raw value. */
  sections: Record<string, Record<string, string>>;
  /** Every field of every section, flattened (field names are unique across sections). */
  fields: Record<string, string>;
  keyspace: Record<string, KeyspaceDb>;
  /** The slaveN: lines of a master's replication section, in N order. */
  replicas: ReplicaEntry[];
}

/** "a=1,b=x" -> { a: '1', b: 'x' } */
function subfields(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

function num(value: string | undefined): number {
  const n = Number(value);
  return Number.isFinite(n) ? n : 0;
}

export function parseInfo(text: string): ParsedInfo {
  const sections: ParsedInfo['sections'] = {};
  const fields: ParsedInfo['fields'] = {};
  const keyspace: ParsedInfo['keyspace'] = {};
  const replicas: Array<[number, ReplicaEntry]> = [];
  let section = 'default';
  let current: Record<string, string> | undefined;
  let count = 0;
  // One pass with indexOf (every node's INFO is read every poll): no split into an array, no regex per line.
  let lineNo = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    start = end + 1;
    if (line.trim() === '') continue;
    if (line.charCodeAt(0) === 35 /* # */) {
      section = line.slice(1).trim().toLowerCase();
      current = sections[section] ??= {};
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ReplyParseError('INFO', `not a field: ${JSON.stringify(line.slice(0, 80))}`, lineNo);
    const key = line.slice(0, colon);
    const value = line.slice(colon + 1);
    current ??= sections[section] ??= {};
    current[key] = value;
    fields[key] = value;
    count++;
    if (section === 'keyspace' && /^db\d+$/.test(key)) {
      const sub = subfields(value);
      keyspace[key] = { keys: num(sub.keys), expires: num(sub.expires), avgTtl: num(sub.avg_ttl) };
    }
    if (section === 'replication' && key.startsWith('slave')) {
      const replica = /^slave(\d+)$/.exec(key);
      if (!replica) continue;
      const sub = subfields(value);
      replicas.push([
        Number(replica[1]),
        { ip: sub.ip ?? '', port: num(sub.port), state: sub.state ?? '', offset: num(sub.offset), lag: num(sub.lag) },
      ]);
    }
  }
  if (count === 0) throw new ReplyParseError('INFO', 'empty reply');
  replicas.sort((a, b) => a[0] - b[0]);
  return { sections, fields, keyspace, replicas: replicas.map(([, r]) => r) };
}

/** INFO commandstats as command ("cluster|nodes", as ACL names it) -> calls since the node started. */
export function commandCalls(text: string): Map<string, number> {
  return new Map([...text.matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)].map((m) => [m[1] ?? '', Number(m[2])]));
}
