import { describe, expect, it } from 'vitest';
import type { NodePersistence } from '../redis/persistence';
import { evaluateFindings } from '.';
import { persistenceFindings, persistenceHighlights, rdbInUse } from './persistence';
import { healthy, id, infoWith, withNode } from './snapshotFixture';
import { DEFAULT_FINDING_OPTIONS } from './types';

// collectedAt of the fixture is the epoch: the node's own clock (nodeTimeSec) is what ages the save.
const NOW = 100_000;
const state = (over: Partial<NodePersistence> = {}): NodePersistence => ({
  lastSaveTime: NOW - 60,
  lastBgsaveStatus: 'ok',
  bgsaveInProgress: false,
  changesSinceLastSave: 0,
  saves: 3,
  aofEnabled: false,
  aofLastWriteStatus: 'ok',
  aofLastRewriteStatus: 'ok',
  aofRewriteInProgress: false,
  nodeTimeSec: NOW,
  ...over,
});
const withPersistence = (n: number, over: Partial<NodePersistence>, save: string | null = '3600 1') => {
  const s = healthy();
  const node = s.nodes.find((x) => x.id === id(n));
  return withNode(s, n, {
    info: infoWith({ persistence: state(over) }),
    clusterConfig: { ...node?.clusterConfig, ...(save !== null ? { save } : {}) },
  });
};
const find = (s: ReturnType<typeof healthy>, code: string) => evaluateFindings(s).find((f) => f.code === code);

describe('failed saves', () => {
  it('rdb_last_bgsave_status:err is critical, names the node and says to read its log', () => {
    const f = find(withPersistence(2, { lastBgsaveStatus: 'err' }), 'rdb_save_failed');
    expect(f?.severity).toBe('critical');
    expect(f?.nodeIds).toEqual([id(2)]);
    expect(f?.message).toContain('10.0.0.2:7002');
    expect(f?.message).toContain('rdb_last_bgsave_status:err');
    expect(f?.action).toMatch(/log/);
  });

  it('AOF write and rewrite failures, the write one only where AOF is on', () => {
    expect(
      find(withPersistence(1, { aofEnabled: true, aofLastWriteStatus: 'err' }), 'aof_write_failed')?.nodeIds,
    ).toEqual([id(1)]);
    expect(
      find(withPersistence(1, { aofEnabled: false, aofLastWriteStatus: 'err' }), 'aof_write_failed'),
    ).toBeUndefined();
    expect(find(withPersistence(4, { aofLastRewriteStatus: 'err' }), 'aof_rewrite_failed')?.severity).toBe('critical');
  });

  it('one finding naming every failing node', () => {
    let s = withPersistence(1, { lastBgsaveStatus: 'err' });
    s = withNode(s, 5, { info: infoWith({ persistence: state({ lastBgsaveStatus: 'err' }) }) });
    expect(
      evaluateFindings(s)
        .filter((f) => f.code === 'rdb_save_failed')
        .map((f) => f.nodeIds),
    ).toEqual([[id(1), id(5)]]);
  });

  it('nothing from a node that does not answer now (its INFO is old)', () => {
    const s = withPersistence(2, { lastBgsaveStatus: 'err' });
    expect(find(withNode(s, 2, { reachable: false }), 'rdb_save_failed')).toBeUndefined();
  });
});

describe('stale saves', () => {
  const old = { lastSaveTime: NOW - 2 * 3600, changesSinceLastSave: 500 };

  it('save points set, writes waiting and no save for over an hour: warning with the age and changes', () => {
    const f = find(withPersistence(3, old), 'rdb_save_stale');
    expect(f?.severity).toBe('warning');
    expect(f?.nodeIds).toEqual([id(3)]);
    expect(f?.message).toContain('last save 2 h ago, 500 changes since');
  });

  it('not under the threshold, not without changes, not while a save runs', () => {
    expect(find(withPersistence(3, { ...old, lastSaveTime: NOW - 1800 }), 'rdb_save_stale')).toBeUndefined();
    expect(find(withPersistence(3, { ...old, changesSinceLastSave: 0 }), 'rdb_save_stale')).toBeUndefined();
    expect(find(withPersistence(3, { ...old, bgsaveInProgress: true }), 'rdb_save_stale')).toBeUndefined();
    const s = withPersistence(3, old);
    expect(persistenceFindings(s, { ...DEFAULT_FINDING_OPTIONS, staleSaveSec: 3 * 3600 })).toEqual([]);
  });

  it('never on a node with RDB off on purpose (save "")', () => {
    expect(find(withPersistence(3, old, ''), 'rdb_save_stale')).toBeUndefined();
  });

  it('without CONFIG: AOF on, or no RDB save ever started, reads as RDB not in use', () => {
    expect(find(withPersistence(3, { ...old, saves: 0 }, null), 'rdb_save_stale')).toBeUndefined();
    expect(find(withPersistence(3, { ...old, aofEnabled: true }, null), 'rdb_save_stale')).toBeUndefined();
    expect(find(withPersistence(3, old, null), 'rdb_save_stale')?.nodeIds).toEqual([id(3)]);
  });

  it('a failed save is reported as failed, not also as stale', () => {
    const s = withPersistence(3, { ...old, lastBgsaveStatus: 'err' });
    expect(evaluateFindings(s).map((f) => f.code)).toEqual(['rdb_save_failed']);
  });
});

describe('rdbInUse', () => {
  it('CONFIG GET save decides when known', () => {
    expect(rdbInUse({ clusterConfig: { save: '' } }, state({ saves: 9 }))).toBe(false);
    expect(rdbInUse({ clusterConfig: { save: '3600 1 300 100' } }, state({ saves: 0, aofEnabled: true }))).toBe(true);
  });
});

describe('the Persistence table’s marked rows', () => {
  it('marks a node for a failed save, not for a finding that has nothing to do with saving (a failed node)', () => {
    const saving = withPersistence(2, { lastBgsaveStatus: 'err' });
    const failing = withNode(saving, 3, { flags: ['master', 'fail'], reachable: false });
    const findings = evaluateFindings(failing);
    expect(findings.some((f) => f.severity !== 'info' && f.nodeIds.includes(id(3)))).toBe(true);
    expect(persistenceHighlights(findings)).toEqual(new Set([id(2)]));
  });
});
