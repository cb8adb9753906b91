import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatClock, formatCount, formatMs, formatTimeOfDay, shortId } from './format';

describe('format', () => {
  it('uses binary prefixes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(2.5 * 1024 ** 3)).toBe('2.5 GiB');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300 MiB');
    expect(formatBytes(Number.NaN)).toBe('–');
  });

  it('formats latency, counts, ages and ids', () => {
    expect(formatMs(0.25)).toBe('0.3 ms');
    expect(formatMs(12.4)).toBe('12 ms');
    expect(formatCount(16384)).toBe('16,384');
    expect(formatAge(2500)).toBe('2 s ago');
    expect(formatAge(125_000)).toBe('2 min ago');
    expect(shortId('0123456789abcdef')).toBe('01234567');
    expect(shortId(null)).toBe('–');
  });
});

describe('the 24 h clock', () => {
  it('writes two-digit hours before 10:00 and 00 after midnight, never 24', () => {
    const at = (h: number, m: number) => new Date(2026, 11, 5, h, m, 7);
    expect(formatTimeOfDay(at(9, 1))).toBe('09:01:07');
    expect(formatTimeOfDay(at(0, 5))).toBe('00:05:07');
    expect(formatTimeOfDay(at(23, 59))).toBe('23:59:07');
    expect(formatClock(at(9, 1))).toMatch(/^09:01:07 \S+$/);
  });
});
