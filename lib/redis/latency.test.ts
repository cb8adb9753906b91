import { describe, expect, it } from 'vitest';
import { ReplyParseError } from './errors';
import { parseInfo } from './info';
import { latencyMonitorState, parseLatencyLatest, parseLatencyStats, parseLatencyThreshold } from './latency';

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

describe('the latency monitor state', () => {
  const spike = { event: 'command', timestamp: 1795302372, latestMs: 120, maxMs: 250 };

  it('reads latency-monitor-threshold from CONFIG GET', () => {
    expect(parseLatencyThreshold({ 'latency-monitor-threshold': '25' })).toBe(25);
    expect(parseLatencyThreshold({ 'latency-monitor-threshold': '0' })).toBe(0);
    expect(parseLatencyThreshold({ 'latency-monitor-threshold': 'x' })).toBeUndefined();
    expect(parseLatencyThreshold({ 'latency-monitor-threshold': '' })).toBeUndefined();
    expect(parseLatencyThreshold({})).toBeUndefined();
    expect(parseLatencyThreshold(undefined)).toBeUndefined();
  });

  it('says on with the threshold when it is set, even with no events', () => {
    expect(latencyMonitorState({ monitorEnabled: true, thresholdMs: 25, events: [] })).toEqual({
      state: 'on',
      thresholdMs: 25,
      events: [],
    });
    expect(latencyMonitorState({ monitorEnabled: true, thresholdMs: 25, events: [spike] })).toMatchObject({
      state: 'on',
      events: [spike],
    });
  });

  it('says off only when the threshold is read as 0', () => {
    expect(latencyMonitorState({ monitorEnabled: true, thresholdMs: 0, events: [] })).toEqual({ state: 'off' });
    expect(latencyMonitorState({ monitorEnabled: true, events: [] }).state).toBe('unknown');
  });

  it('says unknown, with why, when the threshold cannot be read; events still show the monitor is on', () => {
    expect(
      latencyMonitorState({
        monitorEnabled: true,
        thresholdRefused: 'not permitted for user u: config|get',
        events: [],
      }),
    ).toEqual({ state: 'unknown', reason: 'threshold not readable: not permitted for user u: config|get' });
    expect(latencyMonitorState({ monitorEnabled: true, events: [spike] })).toEqual({
      state: 'on',
      thresholdMs: undefined,
      events: [spike],
    });
    expect(latencyMonitorState({ monitorEnabled: false, events: [] })).toEqual({
      state: 'unknown',
      reason: 'not read yet',
    });
  });

  it('names the refusal when LATENCY itself is refused', () => {
    expect(
      latencyMonitorState({
        refused: 'not permitted for user u: latency',
        monitorEnabled: false,
        thresholdMs: 25,
        events: [],
      }),
    ).toEqual({ state: 'refused', reason: 'not permitted for user u: latency' });
  });
});
