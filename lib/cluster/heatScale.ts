import { formatBytes, formatCount } from '../format';
import type { HeatMetric } from './slotHeat';

/**
 * The heat scale: one hue (blue) from dark to white, so it never reads as a status (green/amber/red) nor as a shard.
 * Stops at equal steps of t in 0..1.
 */
export const HEAT_STOPS = ['#13263d', '#1d4f86', '#2f86cf', '#79c2ee', '#f4fbff'] as const;
/** A slot with no value (not read yet, no owner). */
export const HEAT_UNKNOWN_RGB: [number, number, number] = [42, 47, 54];

const STOP_RGB = HEAT_STOPS.map((hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)));

/** The colour at t in 0..1 (clamped), interpolated between the stops. */
export function heatRgb(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t)) * (STOP_RGB.length - 1);
  const i = Math.min(STOP_RGB.length - 2, Math.floor(x));
  const a = STOP_RGB[i] ?? [0, 0, 0];
  const b = STOP_RGB[i + 1] ?? a;
  const f = x - i;
  return [0, 1, 2].map((c) => Math.round((a[c] ?? 0) + ((b[c] ?? 0) - (a[c] ?? 0)) * f)) as [number, number, number];
}

/**
 * Where a value sits on the scale: logarithmic, since one hot slot is often orders of magnitude above the rest and
 * a linear scale would paint every other slot the same dark blue.
 */
export function heatPosition(value: number, max: number): number {
  return max > 0 && value > 0 ? Math.log1p(value) / Math.log1p(max) : 0;
}

/** RGB per slot (3 bytes each) for the map, and the maximum the scale ends at. */
export function heatColours(values: ArrayLike<number | null>): { rgb: Uint8ClampedArray; max: number } {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, values[i] ?? 0);
  const rgb = new Uint8ClampedArray(values.length * 3);
  for (let slot = 0; slot < values.length; slot++) {
    const v = values[slot];
    const [r, g, b] = v === null || v === undefined ? HEAT_UNKNOWN_RGB : heatRgb(heatPosition(v, max));
    rgb[slot * 3] = r;
    rgb[slot * 3 + 1] = g;
    rgb[slot * 3 + 2] = b;
  }
  return { rgb, max };
}

/** A metric's value with its unit: "3,001 keys", "1.2 ms CPU/s", "4.5 KiB/s". */
export function formatHeat(metric: HeatMetric, value: number): string {
  if (metric === 'keys') return `${formatCount(value)} ${value === 1 ? 'key' : 'keys'}`;
  if (metric === 'network') return `${formatBytes(value)}/s`;
  return value >= 1000
    ? `${(value / 1000).toFixed(value >= 10_000 ? 0 : 1)} ms CPU/s`
    : `${Math.round(value)} µs CPU/s`;
}
