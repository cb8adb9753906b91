import { CLOCK_24H } from '../format';

const S = 1000;
const M = 60 * S;
/** Tick steps a clock reads easily. */
const STEPS = [S, 2 * S, 5 * S, 10 * S, 15 * S, 30 * S, M, 2 * M, 5 * M, 10 * M, 15 * M, 30 * M, 60 * M, 120 * M];

export interface TimeAxis {
  /** Epoch ms of each tick, on whole multiples of the step (10:15:00, 10:20:00…), inside [from, to]. */
  ticks: number[];
  step: number;
}

/**
 * Ticks for a time axis from `from` to `to` (epoch ms): the smallest clock-friendly step giving at most `maxTicks`.
 * Multiples of the step are taken from the epoch, so they fall on whole minutes/seconds in zones with whole-hour
 * (and half-hour, for steps up to 30 min) offsets.
 */
export function timeAxis(from: number, to: number, maxTicks: number): TimeAxis {
  const span = Math.max(0, to - from);
  const fit = Math.max(1, maxTicks);
  const step = STEPS.find((s) => Math.floor(span / s) + 1 <= fit) ?? (STEPS.at(-1) as number);
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return { ticks, step };
}

/** hh:mm when ticks are whole minutes apart, hh:mm:ss otherwise; 24 h, the viewer's zone. */
export function timeTickLabel(t: number, step: number): string {
  const { second: _, ...hhmm } = CLOCK_24H;
  return new Date(t).toLocaleTimeString('en-GB', step % M === 0 ? hhmm : CLOCK_24H);
}
