import 'server-only';
import { createHash } from 'node:crypto';
import { type ClusterNodeLine, parseClusterNodeLine, parseClusterNodes } from '@/lib/redis/clusterNodes';
import { ReplyParseError } from '@/lib/redis/errors';

/**
 * A node's CLUSTER NODES text without each line's ping-sent and pong-recv fields (the 5th and 6th): the part that
 * changes only when the node's view of the cluster does (flags, roles, epochs, links, slots, migrations, members).
 * One native regex pass, no per-line work in JS.
 */
export function viewKey(text: string): string {
  return text.replace(/^(\S+ \S+ \S+ \S+) \d+ \d+(?= )/gm, '$1');
}

/** Views longer than this (characters, ~150 nodes) are compared by a digest of their text. */
const DIGEST_ABOVE = 16_384;

/** A flat copy of a (sliced) string, not keeping its parent alive. */
function copyOf(text: string): string {
  return ` ${text}`.slice(1);
}

/** The lines with ping-sent / pong-recv 0 (unknown): a shared line's times are those of whichever reply made it. */
function withoutTimes(lines: readonly ClusterNodeLine[]): ClusterNodeLine[] {
  return lines.map((line) => ({ ...line, pingSentMs: 0, pongRecvMs: 0 }));
}

/** A view read from a node. */
export interface ReadView {
  /**
   * The view's lines. Lines are shared between views and polls wherever their text (ping/pong left out) is the same,
   * so their pingSentMs / pongRecvMs are not this view's: freshLines has those.
   */
  lines: ClusterNodeLine[];
  /** True when `lines` is the array handed out at an earlier poll (the view did not change). */
  reused: boolean;
  /** This view parsed on its own, with this poll's ping-sent / pong-recv (for the few views a snapshot is placed by). */
  freshLines: () => ClusterNodeLine[];
}

/**
 * Parsed CLUSTER NODES views per polled address. Every node's view lists every node, so parsing (and keeping) all of
 * them each poll costs the square of the node count. Here a view is parsed again only when its text changed beyond
 * the ping/pong times, and then only its lines not seen before in any view: a line object is shared by every view
 * listing the same line. An unchanged view hands back the same array, so work derived from a view alone (signature,
 * fail reports, membership) is kept per array (lib/cluster/views.ts).
 */
export class ViewCache {
  private readonly byAddr = new Map<string, { key: string; lines: ClusterNodeLine[] }>();
  /** Line text without ping/pong -> its parsed line, shared by views. Dropped when it outgrows the views it serves. */
  private interned = new Map<string, ClusterNodeLine>();

  /**
   * `keepTimes` false: freshLines gives the lines with no ping/pong times (0, shown as unknown) instead of keeping this
   * reply's text until the snapshot is built (at 1,000 nodes, ~20 MB of replies per poll that would outlive the
   * young generation); the collector keeps them for the view the snapshot is likely placed by.
   */
  read(addr: string, text: string, keepTimes = true): ReadView {
    const stripped = viewKey(text);
    // A long view is kept as a digest: 1,000 views of ~100 kB would hold 100 MB of text across polls.
    const key = stripped.length > DIGEST_ABOVE ? createHash('sha1').update(stripped).digest('base64') : stripped;
    const cached = this.byAddr.get(addr);
    const lines = cached && cached.key === key ? cached.lines : this.parse(text, stripped);
    if (lines !== cached?.lines) this.byAddr.set(addr, { key, lines });
    let fresh: ClusterNodeLine[] | undefined;
    const freshLines = keepTimes
      ? () => {
          fresh ??= parseClusterNodes(text);
          return fresh;
        }
      : () => {
          fresh ??= withoutTimes(lines);
          return fresh;
        };
    return { lines, reused: lines === cached?.lines, freshLines };
  }

  /** The view last read from `addr`, when this poll does not read it again (no ping/pong times: unknown). */
  last(addr: string): ReadView | undefined {
    const cached = this.byAddr.get(addr);
    if (!cached) return undefined;
    let fresh: ClusterNodeLine[] | undefined;
    return {
      lines: cached.lines,
      reused: true,
      freshLines: () => {
        fresh ??= withoutTimes(cached.lines);
        return fresh;
      },
    };
  }

  has(addr: string): boolean {
    return this.byAddr.has(addr);
  }

  forget(addr: string): void {
    this.byAddr.delete(addr);
  }

  /** parseClusterNodes, with lines already seen taken from `interned`. Same checks, same errors. */
  private parse(text: string, key: string): ClusterNodeLine[] {
    const raw = text.split('\n');
    const stripped = key.split('\n');
    if (raw.length !== stripped.length) return parseClusterNodes(text);
    if (this.interned.size > 4 * raw.length + 64) this.interned = new Map();
    const lines: ClusterNodeLine[] = [];
    let myself = 0;
    for (let i = 0; i < raw.length; i++) {
      const lineText = raw[i] ?? '';
      if (lineText.trim() === '') continue;
      const lineKey = stripped[i] ?? '';
      let line = this.interned.get(lineKey);
      if (!line) {
        // Copies, so what stays (the key, the line's fields) holds this line, not the whole reply it was cut from.
        line = parseClusterNodeLine(copyOf(lineText), i + 1);
        this.interned.set(copyOf(lineKey), line);
      }
      if (line.myself) myself++;
      lines.push(line);
    }
    if (lines.length === 0) throw new ReplyParseError('CLUSTER NODES', 'empty reply');
    if (myself > 1) throw new ReplyParseError('CLUSTER NODES', 'more than one node flagged myself');
    return lines;
  }
}
