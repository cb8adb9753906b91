import type { ClusterNodeLine } from '@/lib/redis/clusterNodes';
import { parseClusterNodes } from '@/lib/redis/clusterNodes';

/**
 * A node's CLUSTER NODES text without each line's ping-sent and pong-recv fields (the 5th and 6th): the part that
 * changes only when the node's view of the cluster does (flags, roles, epochs, links, slots, migrations, members).
 * One native regex pass, no per-line work in JS.
 */
export function viewKey(text: string): string {
  return text.replace(/^(\S+ \S+ \S+ \S+) \d+ \d+(?= )/gm, '$1');
}

interface CachedView {
  key: string;
  lines: ClusterNodeLine[];
  /** The text the lines' ping-sent / pong-recv were last read from. */
  timesFrom: string;
  /** The latest text (same key): its times are read only when asked (freshTimes). */
  text: string;
}

/** A view read from a node: its lines, and how to bring their ping-sent / pong-recv up to the latest reply. */
export interface ReadView {
  lines: ClusterNodeLine[];
  /** True when the lines are the ones parsed at an earlier poll (the view did not change). */
  reused: boolean;
  /** Sets ping-sent / pong-recv of the reused lines from this poll's reply (cheap: one view, not every node's). */
  freshTimes: () => void;
}

/**
 * Parsed CLUSTER NODES views per polled address. Every node's view lists every node, so parsing all of them each poll
 * costs the square of the node count; a view is parsed again only when its text changed beyond the ping/pong
 * timestamps. An unchanged view hands back the same line objects (the same array), so work derived from a view
 * (its signature, its fail reports) can be kept per array.
 */
export class ViewCache {
  private readonly byAddr = new Map<string, CachedView>();

  read(addr: string, text: string): ReadView {
    const key = viewKey(text);
    const cached = this.byAddr.get(addr);
    if (cached && cached.key === key) {
      cached.text = text;
      return { lines: cached.lines, reused: true, freshTimes: () => refreshTimes(cached) };
    }
    const lines = parseClusterNodes(text);
    this.byAddr.set(addr, { key, lines, timesFrom: text, text });
    return { lines, reused: false, freshTimes: () => {} };
  }

  forget(addr: string): void {
    this.byAddr.delete(addr);
  }
}

/** The lines' ping-sent and pong-recv from the latest text (same key: same lines, in the same order). */
function refreshTimes(view: CachedView): void {
  if (view.timesFrom === view.text) return;
  const text = view.text;
  let start = 0;
  let index = 0;
  while (start < text.length && index < view.lines.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    if (end > start + 1) {
      const fields = text.slice(start, end).split(' ', 6);
      const line = view.lines[index];
      if (line && fields[0] === line.id) {
        line.pingSentMs = Number(fields[4]);
        line.pongRecvMs = Number(fields[5]);
      }
      index++;
    }
    start = end + 1;
  }
  view.timesFrom = text;
}
