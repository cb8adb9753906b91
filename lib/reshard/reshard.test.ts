import { describe, expect, it } from 'vitest';
import type { Job } from '../jobs/types';
import { type ReshardForm, reshardRequest } from './form';
import { currentReshard, describeRequest, formatDuration, RECENT_RESHARD_MS } from './job';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const masters = [
  { id: A, slotCount: 5461 },
  { id: B, slotCount: 5462 },
  { id: C, slotCount: 5461 },
];
const form: ReshardForm = {
  target: B,
  what: 'ranges',
  ranges: '0-1819',
  count: '',
  from: 'all',
  sources: [],
  replace: false,
  throttleKeysPerSec: '',
  maxSourceLatencyMs: '',
};

describe('reshard form', () => {
  it('builds the ranges body, with options only when set', () => {
    expect(reshardRequest(form, masters)).toEqual({ ok: true, request: { target: B, slots: [[0, 1819]] } });
    expect(
      reshardRequest({ ...form, replace: true, throttleKeysPerSec: '5000', maxSourceLatencyMs: '2.5' }, masters),
    ).toEqual({
      ok: true,
      request: {
        target: B,
        slots: [[0, 1819]],
        options: { replace: true, throttleKeysPerSec: 5000, maxSourceLatencyMs: 2.5 },
      },
    });
  });

  it('reads ranges in redis-cli notation, merged and sorted', () => {
    expect(reshardRequest({ ...form, ranges: '2000, 0-1819 1820-1821,7' }, masters)).toEqual({
      ok: true,
      request: {
        target: B,
        slots: [
          [0, 1821],
          [2000, 2000],
        ],
      },
    });
  });

  it('builds the count body from all masters or the chosen ones', () => {
    expect(reshardRequest({ ...form, what: 'count', count: '1000' }, masters)).toEqual({
      ok: true,
      request: { target: B, count: 1000, sources: 'all' },
    });
    expect(reshardRequest({ ...form, what: 'count', count: '1000', from: 'chosen', sources: [C, A] }, masters)).toEqual(
      { ok: true, request: { target: B, count: 1000, sources: [A, C] } },
    );
  });

  it('names the first thing to fix', () => {
    const problem = (f: Partial<ReshardForm>) => {
      const result = reshardRequest({ ...form, ...f }, masters);
      return result.ok ? undefined : result.problem;
    };
    expect(problem({ target: '' })).toMatch(/Pick the master/);
    expect(problem({ ranges: ' ' })).toMatch(/Select slots/);
    expect(problem({ ranges: '0-16384' })).toMatch(/"0-16384" is not a slot/);
    expect(problem({ ranges: '5-3' })).toMatch(/"5-3"/);
    expect(problem({ ranges: '1,x' })).toMatch(/"x"/);
    expect(problem({ what: 'count', count: '12a' })).toMatch(/whole number from 1/);
    expect(problem({ what: 'count', count: '0' })).toMatch(/whole number from 1/);
    expect(problem({ what: 'count', count: '10', from: 'chosen', sources: [] })).toMatch(/at least one master/);
    expect(problem({ what: 'count', count: '10', from: 'chosen', sources: [B] })).toMatch(/cannot also be a source/);
    expect(problem({ what: 'count', count: '6000', from: 'chosen', sources: [A] })).toMatch(/own 5,461 slots/);
    expect(problem({ throttleKeysPerSec: '-3' })).toMatch(/Throttle/);
    expect(problem({ maxSourceLatencyMs: '0' })).toMatch(/Latency guard/);
  });
});

const job = (id: string, state: Job['state'], startedAt: string, endedAt?: string): Job => ({
  id,
  kind: 'reshard',
  clusterId: 'c',
  startedBy: 'op',
  state,
  startedAt,
  ...(endedAt ? { endedAt } : {}),
  progress: { done: 0, total: 0, unit: 'slots' },
  steps: [],
});

describe('the reshard the page shows', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  const failover = { ...job('f', 'running', '2025-01-01T11:59:00Z'), kind: 'failover' };
  it('prefers the one just started, then running, then interrupted, then recently ended', () => {
    const old = job('old', 'succeeded', '2025-01-01T11:00:00Z', '2025-01-01T11:01:00Z');
    const recent = job('recent', 'succeeded', '2025-01-01T11:55:00Z', '2025-01-01T11:56:00Z');
    const interrupted = job('int', 'interrupted', '2025-01-01T10:00:00Z');
    const running = job('run', 'running', '2025-01-01T09:00:00Z');
    expect(currentReshard([failover, old], now)).toBeUndefined();
    expect(currentReshard([failover, old, recent], now)?.id).toBe('recent');
    expect(currentReshard([recent, interrupted, old], now)?.id).toBe('int');
    expect(currentReshard([recent, interrupted, running], now)?.id).toBe('run');
    expect(currentReshard([recent, interrupted, running], now, 'old')?.id).toBe('run');
    expect(currentReshard([recent, interrupted, running, old], now, 'old')?.id).toBe('old');
    expect(currentReshard([recent], now + RECENT_RESHARD_MS)).toBeUndefined();
  });

  it('says what was asked and how long things take', () => {
    const addr = (id: string) => (id === A ? '127.0.0.1:7000' : id.slice(0, 8));
    expect(describeRequest({ target: B, slots: [[0, 1819]] }, addr)).toBe('slots 0-1819 (1,820)');
    expect(describeRequest({ target: B, count: 1000, sources: 'all' }, addr)).toBe('1,000 slots from all masters');
    expect(describeRequest({ target: B, count: 5, sources: [A] }, addr)).toBe('5 slots from 127.0.0.1:7000');
    expect(formatDuration(800)).toBe('0.8 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
  });
});
