import { afterEach, describe, expect, it, vi } from 'vitest';
import { logMisdirected, misdirectedReason, shownHost } from './misdirected';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('421 reason', () => {
  it('names the host received and the fix', () => {
    expect(misdirectedReason('192.0.2.2:3000')).toBe(
      'this dashboard does not serve host "192.0.2.2:3000". If that is how users reach it, add it to "allowedHosts" ' +
        'in the config (the list replaces the default, so keep "127.0.0.1" and "localhost" for local checks).',
    );
    expect(misdirectedReason(undefined)).toContain('host "(no Host header)"');
  });

  it('echoes printable ASCII only, at most 100 characters', () => {
    expect(shownHost('evil\u0000\n\u00e9.example')).toBe('evil???.example');
    const long = 'a'.repeat(500);
    expect(shownHost(long)).toBe(`${'a'.repeat(100)}...`);
  });
});

describe('421 log line', () => {
  it('is written once per host per minute, and the hosts remembered are bounded', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t0 = 1_000_000_000;
    expect(logMisdirected('a.example', t0)).toBe(true);
    expect(logMisdirected('a.example', t0 + 59_000)).toBe(false);
    expect(logMisdirected('b.example', t0 + 59_000)).toBe(true);
    expect(logMisdirected('a.example', t0 + 60_000)).toBe(true);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(warn.mock.calls[0]?.[0]).toBe('[dashboard] 421 for host "a.example": not in allowedHosts');

    // A flood of distinct hosts within a minute: 256 are logged (2 already), the rest wait until entries age out.
    const t1 = t0 + 120_000;
    let logged = 0;
    for (let i = 0; i < 1000; i++) if (logMisdirected(`h${i}.example`, t1)) logged++;
    expect(logged).toBe(256);
    expect(logMisdirected('late.example', t1 + 30_000)).toBe(false);
    expect(logMisdirected('late.example', t1 + 60_000)).toBe(true);
  });
});
