/**
 * The sentinels' replies as plain records, read defensively: a reply of another shape (a proxy in the way, a newer
 * server, garbage) gives an empty or partial result, never an exception.
 */

/** A flat [name, value, name, value, …] reply (SENTINEL MASTER, one entry of SENTINEL REPLICAS) as a record. */
export function flatRecord(reply: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(reply)) return out;
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const key = reply[i];
    const value = reply[i + 1];
    if ((typeof key === 'string' || Buffer.isBuffer(key)) && (typeof value === 'string' || typeof value === 'number'))
      out[String(key)] = String(value);
    else if ((typeof key === 'string' || Buffer.isBuffer(key)) && Buffer.isBuffer(value))
      out[String(key)] = value.toString();
  }
  return out;
}

/** A list of flat records (SENTINEL REPLICAS / SENTINELS); entries of another shape are skipped. */
export function recordList(reply: unknown): Record<string, string>[] {
  if (!Array.isArray(reply)) return [];
  return reply.filter(Array.isArray).map(flatRecord);
}

/** A finite number from a field, else undefined. */
export function numberField(record: Record<string, string>, name: string): number | undefined {
  const raw = record[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

/** "host:port", IPv6 hosts in brackets; undefined when the record has no usable ip/port. */
export function recordAddr(record: Record<string, string>): string | undefined {
  const host = record.ip;
  const port = numberField(record, 'port');
  if (!host || port === undefined || port <= 0 || port > 65535) return undefined;
  return joinHostPort(host, port);
}

export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** "flags" as a list ("master,s_down" -> ["master", "s_down"]). */
export function flagList(value: string | undefined): string[] {
  return value ? value.split(',').filter((f) => f.length > 0) : [];
}

/** GET-MASTER-ADDR-BY-NAME's [ip, port] as "host:port"; null for a nil or any other shape. */
export function masterAddrReply(reply: unknown): string | null {
  if (!Array.isArray(reply) || reply.length !== 2) return null;
  const [host, port] = reply.map((v) => (Buffer.isBuffer(v) ? v.toString() : v));
  if (typeof host !== 'string' || host === '') return null;
  const n = Number(port);
  if (!Number.isInteger(n) || n <= 0 || n > 65535) return null;
  return joinHostPort(host, n);
}

/** The sentinel's own sentence of CKQUORUM: "OK 3 usable Sentinels…" is ok; an error reply is not. */
export function ckquorumReply(reply: unknown): { ok: boolean; message: string } {
  const text = Buffer.isBuffer(reply) ? reply.toString() : typeof reply === 'string' ? reply : undefined;
  if (text === undefined) return { ok: false, message: 'no readable reply to SENTINEL CKQUORUM' };
  return { ok: /^OK\b/.test(text), message: text.slice(0, 300) };
}
