import { describe, expect, it } from 'vitest';
import { node } from '../findings/snapshotFixture';
import { type Counters, latencySummary, rate, sampleOf } from './sample';

const c = (at: number, over: Partial<Counters> = {}): Counters => ({
  at,
  uptime: at / 1000,
  commands: 0,
  netIn: 0,
  netOut: 0,
  hits: 0,
  misses: 0,
  evicted: 0,
  expired: 0,
  ...over,
});

describe('rates', () => {
  it('divides the counter delta by the elapsed seconds', () => {
    expect(rate(c(1000, { commands: 100 }), c(3000, { commands: 2100 }), 'commands')).toBe(1000);
  });

  it('gives null, never a negative rate or a spike, across a restart', () => {
    const before = c(100_000, { commands: 5_000_000 });
    const restarted = c(101_000, { uptime: 1, commands: 40 });
    expect(rate(before, restarted, 'commands')).toBeNull();
    expect(rate(restarted, c(102_000, { uptime: 2, commands: 1040 }), 'commands')).toBe(1000);
    expect(rate(c(1000, { evicted: 10 }), c(2000, { evicted: 3 }), 'evicted')).toBeNull();
    expect(rate(undefined, c(1000), 'commands')).toBeNull();
  });
});

describe('sampleOf', () => {
  it('fills gauges, rates, hit ratio and replication lag', () => {
    const replica = node(4, 'h', 'replica');
    const prev = c(0, { hits: 0, misses: 0, commands: 0 });
    const next = c(1000, { hits: 30, misses: 10, commands: 500 });
    const s = sampleOf(replica, prev, next, 1500, 0.4);
    expect(s).toMatchObject({
      ops_per_sec: 500,
      hit_ratio: 0.75,
      repl_lag_bytes: 500,
      ping_ms: 0.4,
      connected_clients: 1,
    });
    expect(sampleOf(node(1, 'h', 'master'), prev, next, 1500, null).repl_lag_bytes).toBeNull();
  });
});

describe('latencySummary', () => {
  it('gives min, avg, p99 and max', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(latencySummary(samples)).toEqual({ samples: 100, minMs: 1, avgMs: 50.5, p99Ms: 99, maxMs: 100 });
    expect(latencySummary([])).toMatchObject({ samples: 0, minMs: null });
  });
});
