import { gapThresholdMs } from '@/lib/history/gaps';
import type { NodeHistory } from '@/lib/history/types';
import type { TimelineEvent } from '@/lib/timeline/diff';

/** What every chart of the page shares, so they line up: the time span, the gap rule and the timeline's events. */
export interface ChartFrame {
  /** Epoch ms of the first and last sample over every node. */
  from: number;
  to: number;
  /** A step between samples longer than this is drawn as a gap. */
  maxStepMs: number;
  events: readonly TimelineEvent[];
}

export function chartFrame(
  history: readonly NodeHistory[],
  pollIntervalMs: number,
  events: readonly TimelineEvent[],
): ChartFrame | undefined {
  let from = Number.POSITIVE_INFINITY;
  let to = Number.NEGATIVE_INFINITY;
  let longest: readonly number[] = [];
  for (const h of history) {
    const first = h.t[0];
    const last = h.t.at(-1);
    if (first === undefined || last === undefined) continue;
    from = Math.min(from, first);
    to = Math.max(to, last);
    if (h.t.length > longest.length) longest = h.t;
  }
  if (!Number.isFinite(from)) return undefined;
  return { from, to, maxStepMs: gapThresholdMs(longest, pollIntervalMs), events };
}
