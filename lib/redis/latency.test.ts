import { describe, expect, it } from 'vitest';
import { ReplyParseError } from './errors';
import { parseInfo } from './info';
import { parseLatencyLatest, parseLatencyStats } from './latency';

describe('latency replies', () => {
  it('reads LATENCY LATEST', () => {
    expect(parseLatencyLatest([['command', 1795302372, 120, 250]])).toEqual([
      { event: 'command', timestamp: 1795302372, latestMs: 120, maxMs: 250 },
    ]);
    expect(() => parseLatencyLatest('x')).toThrow(ReplyParseError);
    expect(() => parseLatencyLatest([['command']])).toThrow(ReplyParseError);
  });

  it('reads INFO latencystats percentiles in ms', () => {
    const info = parseInfo(
      '# Latencystats\r\nlatency_percentiles_usec_set:p50=1.003,p99=3.007,p99.9=10.015\r\nlatency_percentiles_usec_cluster|nodes:p50=20.001,p99=41.215,p99.9=41.215\r\n',
    );
    const stats = parseLatencyStats(info.fields);
    expect(Object.keys(stats)).toEqual(['set', 'cluster|nodes']);
    expect(stats.set?.p50).toBeCloseTo(0.001003, 9);
    expect(stats.set?.p999).toBeCloseTo(0.010015, 9);
    expect(stats['cluster|nodes']?.p99).toBeCloseTo(0.041215, 9);
  });
});
