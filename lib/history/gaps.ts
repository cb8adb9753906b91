/**
 * Missing samples are drawn as gaps: a line straight across an outage says "it went smoothly from A to B", which is
 * exactly what is not known. Samples are one poll apart (several when the answer was downsampled); a step longer than
 * GAP_STEPS times that is an outage of the node or of the dashboard, and gets a null point the chart breaks the line at
 * (recharts' connectNulls={false}).
 */
export const GAP_STEPS = 2.5;

/** The usual step between samples: the median step, never less than the poll interval. */
export function usualStepMs(t: readonly number[], pollIntervalMs: number): number {
  const steps: number[] = [];
  for (let i = 1; i < t.length; i++) {
    const step = (t[i] ?? 0) - (t[i - 1] ?? 0);
    if (step > 0) steps.push(step);
  }
  steps.sort((a, b) => a - b);
  const median = steps.length ? (steps[Math.floor((steps.length - 1) / 2)] ?? 0) : 0;
  return Math.max(pollIntervalMs, median);
}

/** Longer than this between two samples is a gap. */
export function gapThresholdMs(t: readonly number[], pollIntervalMs: number): number {
  return GAP_STEPS * usualStepMs(t, pollIntervalMs);
}

/**
 * The rows (sorted by t) with `blank(t)` inserted midway in every step longer than maxStepMs (a number, or one per step
 * from the step's start: 1-minute means are further apart than samples).
 */
export function insertGaps<R extends { t: number }>(
  rows: readonly R[],
  maxStepMs: number | ((from: number) => number),
  blank: (t: number) => R,
): R[] {
  const out: R[] = [];
  let previous: R | undefined;
  const limit = typeof maxStepMs === 'number' ? () => maxStepMs : maxStepMs;
  for (const row of rows) {
    if (previous && row.t - previous.t > limit(previous.t)) out.push(blank((previous.t + row.t) / 2));
    out.push(row);
    previous = row;
  }
  return out;
}

/** How many breaks a line drawn with connectNulls={false} has: runs of missing values after a value, up to a value. */
export function countGaps(values: ReadonlyArray<number | null | undefined>): number {
  let gaps = 0;
  let seen = false;
  let missing = false;
  for (const v of values) {
    if (v === null || v === undefined) {
      missing = seen;
      continue;
    }
    if (missing) gaps++;
    seen = true;
    missing = false;
  }
  return gaps;
}
