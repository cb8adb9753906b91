// RESP2 for the simulator: an incremental request parser (multibulk and inline, as redis-server accepts) and the
// reply encoders. Replies are Buffers or strings handed to socket.write in order; nothing here does I/O.

/** A reply ready for the wire: one chunk or several written back to back (a big shared text without copying it). */
export type Wire = string | Buffer | Array<string | Buffer>;

export const ok = '+OK\r\n';
export const nil = '$-1\r\n';
export const emptyArray = '*0\r\n';

export function simple(text: string): string {
  return `+${text}\r\n`;
}

export function error(text: string): string {
  return `-${text.replace(/[\r\n]+/g, ' ')}\r\n`;
}

export function integer(n: number): string {
  return `:${Math.trunc(n)}\r\n`;
}

export function bulk(text: string): string {
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
}

/** A bulk string made of parts (shared Buffers), written without joining them. */
export function bulkParts(parts: Buffer[]): Buffer[] {
  let length = 0;
  for (const part of parts) length += part.length;
  return [Buffer.from(`$${length}\r\n`), ...parts, CRLF];
}

const CRLF = Buffer.from('\r\n');

/** A nested reply value: strings become bulk strings, numbers integers, null a nil. */
export type Value = string | number | null | Value[];

export function encode(value: Value): string {
  if (value === null) return nil;
  if (typeof value === 'number') return integer(value);
  if (typeof value === 'string') return bulk(value);
  let out = `*${value.length}\r\n`;
  for (const item of value) out += encode(item);
  return out;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

/**
 * Feeds bytes in, takes whole commands out. Arguments are kept as latin1-decoded strings' UTF-8 counterpart: the
 * simulator only needs command names, ids, numbers and patterns, so arguments are decoded as UTF-8.
 */
export class RequestParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[][] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const commands: string[][] = [];
    for (;;) {
      const parsed = this.buffer[0] === 0x2a ? this.multibulk() : this.inline();
      if (!parsed) break;
      this.buffer = this.buffer.subarray(parsed.end);
      if (parsed.args.length) commands.push(parsed.args);
    }
    return commands;
  }

  private line(from: number): { text: string; next: number } | undefined {
    const at = this.buffer.indexOf('\r\n', from);
    if (at === -1) {
      if (this.buffer.length - from > 64 * 1024) throw new ProtocolError('Protocol error: too big inline request');
      return undefined;
    }
    return { text: this.buffer.toString('latin1', from, at), next: at + 2 };
  }

  private inline(): { args: string[]; end: number } | undefined {
    const at = this.buffer.indexOf('\n');
    if (at === -1) {
      if (this.buffer.length > 64 * 1024) throw new ProtocolError('Protocol error: too big inline request');
      return undefined;
    }
    const text = this.buffer.toString('utf8', 0, at).replace(/\r$/, '');
    return { args: text.split(/\s+/).filter(Boolean), end: at + 1 };
  }

  private multibulk(): { args: string[]; end: number } | undefined {
    const head = this.line(1);
    if (!head) return undefined;
    const count = Number(head.text);
    if (!Number.isInteger(count) || count > 1024 * 1024)
      throw new ProtocolError('Protocol error: invalid multibulk length');
    const args: string[] = [];
    let at = head.next;
    for (let i = 0; i < count; i++) {
      if (at >= this.buffer.length) return undefined;
      if (this.buffer[at] !== 0x24)
        throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(this.buffer[at] ?? 0)}'`);
      const size = this.line(at + 1);
      if (!size) return undefined;
      const length = Number(size.text);
      if (!Number.isInteger(length) || length < 0 || length > 512 * 1024 * 1024)
        throw new ProtocolError('Protocol error: invalid bulk length');
      if (size.next + length + 2 > this.buffer.length) return undefined;
      args.push(this.buffer.toString('utf8', size.next, size.next + length));
      at = size.next + length + 2;
    }
    return { args, end: at };
  }
}
