import { gapThresholdMs } from '@/lib/history/gaps';

const MINUTE_MS = 60_000;

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
  /** Points before this are 1-minute means from the store (see HistoryResponse), with a gap rule of their own. */
  minuteAveragesUntil?: number;
  minuteMaxStepMs?: number;
}

/** The gap rule of insertGaps for the frame: per step when part of the span is 1-minute means. */
export function stepLimit(frame: ChartFrame | undefined): number | ((from: number) => number) {
  if (!frame) return Number.POSITIVE_INFINITY;
  const { minuteAveragesUntil: until, minuteMaxStepMs: coarse, maxStepMs } = frame;
  if (until === undefined || coarse === undefined) return maxStepMs;
  return (from) => (from < until ? coarse : maxStepMs);
}

export function chartFrame(
  history: readonly NodeHistory[],
  pollIntervalMs: number,
  events: readonly TimelineEvent[],
  minuteAveragesUntil?: number,
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
  if (minuteAveragesUntil === undefined)
    return { from, to, maxStepMs: gapThresholdMs(longest, pollIntervalMs), events };
  const until = minuteAveragesUntil;
  return {
    from,
    to,
    maxStepMs: gapThresholdMs(
      longest.filter((t) => t > until),
      pollIntervalMs,
    ),
    events,
    minuteAveragesUntil: until,
    minuteMaxStepMs: gapThresholdMs(
      longest.filter((t) => t <= until),
      MINUTE_MS,
    ),
  };
}
