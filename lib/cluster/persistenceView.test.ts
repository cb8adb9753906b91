import { describe, expect, it } from 'vitest';
import { infoWith } from '../findings/snapshotFixture';
import type { NodePersistence } from '../redis/persistence';
import { persistenceLine, persistenceSummary } from './persistenceView';

const base: NodePersistence = {
  lastSaveTime: 1000,
  nodeTimeSec: 1600,
  lastBgsaveStatus: 'ok',
  bgsaveInProgress: false,
  changesSinceLastSave: 1234,
  aofEnabled: false,
  aofLastWriteStatus: 'ok',
  aofLastRewriteStatus: 'ok',
  aofRewriteInProgress: false,
  latestForkUsec: 450,
};
const at = new Date(1_000_000).toISOString();
const line = (p: Partial<NodePersistence>, save?: string, nowMs = 1_000_000) =>
  persistenceLine(
    { info: infoWith({ persistence: { ...base, ...p } }), ...(save !== undefined ? { clusterConfig: { save } } : {}) },
    at,
    nowMs,
  );

describe('persistenceLine', () => {
  it('ages the last save by the node clock, and keeps counting after the poll', () => {
    expect(line({})?.lastSave).toBe('10 min ago');
    expect(line({}, undefined, 1_000_000 + 5 * 60_000)?.lastSave).toBe('15 min ago');
    expect(line({ bgsaveInProgress: true })?.lastSave).toBe('saving now…');
  });

  it('says FAILED in words for a failed RDB save or AOF write', () => {
    expect(line({ lastBgsaveStatus: 'err' })?.rdbStatus).toEqual({ text: 'FAILED', tone: 'crit' });
    expect(line({ aofEnabled: true, aofLastWriteStatus: 'err' })?.aof).toEqual({
      text: 'on — write FAILED',
      tone: 'crit',
    });
    expect(line({ aofEnabled: true })?.aof.text).toBe('on');
  });

  it('save points from CONFIG GET save: off on purpose, set, or not read', () => {
    expect(line({}, '')?.savePoints).toBe('off (save "")');
    expect(line({}, '3600 1')?.savePoints).toBe('save 3600 1');
    expect(line({})?.savePoints).toBe('not read');
  });

  it('fork time in ms with one decimal under 10 ms; changes with separators', () => {
    expect(line({})?.fork).toBe('0.5 ms');
    expect(line({ latestForkUsec: undefined })?.fork).toBe('–');
    expect(line({})?.changesSince).toBe('1,234');
  });

  it('nothing for a node without INFO persistence', () => {
    expect(persistenceLine({}, at, 0)).toBeUndefined();
  });
});

describe('persistenceSummary', () => {
  it('failures first, then AOF, RDB off and the oldest save', () => {
    const node = (p: Partial<NodePersistence>, save?: string) => ({
      info: infoWith({ persistence: { ...base, ...p } }),
      ...(save !== undefined ? { clusterConfig: { save } } : {}),
    });
    expect(
      persistenceSummary(
        [node({ lastBgsaveStatus: 'err' }), node({ aofEnabled: true }, ''), node({ lastSaveTime: 1500 })],
        at,
        1_000_000,
      ),
    ).toBe('1 node has a FAILED save · AOF on 1 of 3 · RDB off (save "") on 1 · oldest RDB save 10 min ago.');
    expect(persistenceSummary([{}], at, 0)).toBe('No node reported its persistence state.');
  });
});
