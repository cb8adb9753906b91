import { describe, expect, it } from 'vitest';
import { formatAge, formatBytes, formatCount, formatMs, shortId } from './format';

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
