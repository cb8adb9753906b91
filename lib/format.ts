const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB": binary prefixes, one decimal under 10. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < BINARY_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${BINARY_UNITS[unit]}`;
}

export function formatCount(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '–';
}

/** Latency: one decimal under 10 ms. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  return ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

/** "3 s ago", "2 min ago", "1 h ago". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

/**
 * A 24 h clock with two-digit hours ("09:01:07", never "9:01:07"): `hour12: false` alone gives one digit before 10:00
 * in Chromium, and can give "24:05" after midnight.
 */
export const CLOCK_24H = { hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' } as const;

/** hh:mm:ss in the viewer's zone, with the zone name, for "stale since" and logs. */
export function formatClock(date: Date): string {
  return date.toLocaleTimeString('en-GB', { ...CLOCK_24H, timeZoneName: 'short' });
}

/** hh:mm:ss in the viewer's zone. */
export function formatTimeOfDay(date: Date): string {
  return date.toLocaleTimeString('en-GB', CLOCK_24H);
}

/** Node ids are shown by their first 8 characters; the full id goes in a title / copy. */
export function shortId(id: string | null | undefined): string {
  return id ? id.slice(0, 8) : '–';
}
