import 'server-only';
import { encodeDelta, type ObjectPatch } from '@/lib/cluster/snapshotDelta';
import type { ClusterSnapshot } from '@/lib/cluster/types';
import { inViewJson } from './view';

/** A stream in delta mode sends a whole snapshot this often (in polls) besides on connect, so nothing drifts for long. */
export const FULL_SNAPSHOT_EVERY = 60;

interface EncodedDelta {
  next: ClusterSnapshot;
  top: ObjectPatch | undefined;
  /** The rest of the delta as JSON members (`,"order":…,"nodes":…`), or "". */
  rest: string;
}

// One delta per pair of polls, however many streams send it: keyed by the poll before, remembering the poll after.
const deltaOf = new WeakMap<ClusterSnapshot, EncodedDelta>();

function encoded(prev: ClusterSnapshot, next: ClusterSnapshot): EncodedDelta {
  const cached = deltaOf.get(prev);
  if (cached?.next === next) return cached;
  // `from` is each stream's own number, put in per frame.
  const { from: _from, top, ...others } = encodeDelta(prev, next, 0);
  const json = JSON.stringify(others);
  const made = { next, top, rest: json === '{}' ? '' : `,${json.slice(1, -1)}` };
  deltaOf.set(prev, made);
  return made;
}

/**
 * The frames of one `?delta=1` snapshot stream: `event: snapshot` (the whole snapshot, as without deltas) on connect
 * and every FULL_SNAPSHOT_EVERY polls, `event: delta` (lib/cluster/snapshotDelta.ts) in between; each frame's SSE
 * `id` is its sequence number, and a delta's `from` the number it applies to.
 */
export class DeltaFrames {
  private seq = 0;
  private sent: ClusterSnapshot | undefined;
  private sinceFull = 0;

  constructor(
    private readonly pollIntervalMs: number,
    private readonly fullEvery = FULL_SNAPSHOT_EVERY,
  ) {}

  frame(snapshot: ClusterSnapshot, now = Date.now()): string {
    const prev = this.sent;
    const seq = ++this.seq;
    this.sent = snapshot;
    if (prev === undefined || this.sinceFull >= this.fullEvery - 1) {
      this.sinceFull = 0;
      return `event: snapshot\nid: ${seq}\ndata: ${inViewJson(snapshot, this.pollIntervalMs, 'full', now)}\n\n`;
    }
    this.sinceFull++;
    const ageMs = Math.max(0, now - Date.parse(snapshot.collectedAt));
    const { top, rest } = encoded(prev, snapshot);
    // ageMs changes with every frame (each stream sends at its own moment): it is added here, not cached.
    const topWithAge: ObjectPatch = { ...top, set: { ageMs, ...top?.set } };
    const body = `{"from":${seq - 1},"top":${JSON.stringify(topWithAge)}${rest}}`;
    return `event: delta\nid: ${seq}\ndata: ${body}\n\n`;
  }
}
