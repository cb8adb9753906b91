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

/**
 * Only `wanted` fields (and the keyspace's dbN lines) out of an INFO reply, as a ParsedInfo with no sections and no
 * replica list: what summarizeInfo needs, read from every node every poll without building ~170 fields per node.
 * Refuses what parseInfo refuses (a line that is not a field, an empty reply).
 */
export function parseInfoFields(text: string, wanted: ReadonlySet<string>): ParsedInfo {
  const fields: ParsedInfo['fields'] = {};
  const keyspace: ParsedInfo['keyspace'] = {};
  let inKeyspace = false;
  let count = 0;
  let lineNo = 0;
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const lineStart = start;
    start = end + 1;
    if (stop === lineStart) continue;
    if (text.charCodeAt(lineStart) === 35 /* # */) {
      inKeyspace =
        text
          .slice(lineStart + 1, stop)
          .trim()
          .toLowerCase() === 'keyspace';
      continue;
    }
    const colon = text.indexOf(':', lineStart);
    if (colon <= lineStart || colon >= stop) {
      const line = text.slice(lineStart, stop);
      if (line.trim() === '') continue;
      throw new ReplyParseError('INFO', `not a field: ${JSON.stringify(line.slice(0, 80))}`, lineNo);
    }
    count++;
    const key = text.slice(lineStart, colon);
    if (inKeyspace && /^db\d+$/.test(key)) {
      const sub = subfields(text.slice(colon + 1, stop));
      keyspace[key] = { keys: num(sub.keys), expires: num(sub.expires), avgTtl: num(sub.avg_ttl) };
    }
    if (wanted.has(key)) fields[key] = text.slice(colon + 1, stop);
  }
  if (count === 0) throw new ReplyParseError('INFO', 'empty reply');
  return { sections: {}, fields, keyspace, replicas: [] };
}

/**
 * A ParsedInfo that parses `text` on first use. The collector keeps every node's last INFO for the node page; kept
 * as text, 1,000 nodes' INFO is 1,000 strings instead of ~300 objects each promoted and dropped every poll.
 */
export function lazyInfo(text: string): ParsedInfo {
  let parsed: ParsedInfo | undefined;
  const get = () => {
    parsed ??= parseInfo(text);
    return parsed;
  };
  return {
    get sections() {
      return get().sections;
    },
    get fields() {
      return get().fields;
    },
    get keyspace() {
      return get().keyspace;
    },
    get replicas() {
      return get().replicas;
    },
  };
}

/** INFO commandstats as command ("cluster|nodes", as ACL names it) -> calls since the node started. */
export function commandCalls(text: string): Map<string, number> {
  return new Map([...text.matchAll(/^cmdstat_(\S+?):calls=(\d+)/gm)].map((m) => [m[1] ?? '', Number(m[2])]));
}
