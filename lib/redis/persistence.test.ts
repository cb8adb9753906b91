import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInfo } from './info';
import { describeSaveSeconds, lastSaveAgeSec, parsePersistence } from './persistence';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parsePersistence', () => {
  it('reads the RDB/AOF state and fork time of a 7.0.15 master from INFO default', () => {
    const p = parsePersistence(parseInfo(fixture('info-master-7.0.txt')));
    expect(p).toEqual({
      lastSaveTime: 1795302351,
      lastBgsaveStatus: 'ok',
      bgsaveInProgress: false,
      changesSinceLastSave: 65,
      lastBgsaveSeconds: 0,
      saves: 0,
      aofEnabled: false,
      aofLastWriteStatus: 'ok',
      aofLastRewriteStatus: 'ok',
      aofRewriteInProgress: false,
      latestForkUsec: 448,
      nodeTimeSec: 1795302373,
    });
  });

  it('leaves out what never happened: no BGSAVE since start (-1), never forked (0)', () => {
    const p = parsePersistence(parseInfo(fixture('info-replica-7.0.txt')));
    expect(p?.lastBgsaveSeconds).toBeUndefined();
    expect(p?.latestForkUsec).toBeUndefined();
  });

  it('reads failures, a save and a rewrite in progress, AOF on', () => {
    const p = parsePersistence(
      parseInfo(
        '# Persistence\r\nrdb_bgsave_in_progress:1\r\nrdb_last_save_time:100\r\nrdb_last_bgsave_status:err\r\naof_enabled:1\r\naof_rewrite_in_progress:1\r\naof_last_write_status:err\r\naof_last_bgrewrite_status:err\r\n',
      ),
    );
    expect(p).toMatchObject({
      bgsaveInProgress: true,
      lastBgsaveStatus: 'err',
      aofEnabled: true,
      aofRewriteInProgress: true,
      aofLastWriteStatus: 'err',
      aofLastRewriteStatus: 'err',
    });
    // A server without rdb_saves (before 7.0) or server_time_usec (before 6.2): absent, not 0.
    expect(p?.saves).toBeUndefined();
    expect(p?.nodeTimeSec).toBeUndefined();
  });

  it('is undefined for an INFO without a persistence section', () => {
    expect(parsePersistence(parseInfo('# Server\r\nredis_version:7.0.15\r\n'))).toBeUndefined();
  });
});

describe('lastSaveAgeSec', () => {
  it("ages the last save by the node's own clock, else by the caller's", () => {
    expect(
      lastSaveAgeSec(
        {
          lastSaveTime: 100,
          nodeTimeSec: 160,
          bgsaveInProgress: false,
          aofEnabled: false,
          aofRewriteInProgress: false,
        },
        5000,
      ),
    ).toBe(60);
    expect(
      lastSaveAgeSec(
        { lastSaveTime: 100, bgsaveInProgress: false, aofEnabled: false, aofRewriteInProgress: false },
        400,
      ),
    ).toBe(300);
  });
});

describe('describeSaveSeconds', () => {
  it('says ≤1 s for 0 and 1 (whole seconds: a 0.1 s save can read 1), about N s above', () => {
    expect(describeSaveSeconds(0)).toBe('saved in ≤1 s');
    expect(describeSaveSeconds(1)).toBe('saved in ≤1 s');
    expect(describeSaveSeconds(7)).toBe('saved in about 7 s');
    expect(describeSaveSeconds(undefined)).toBe('saved');
  });
});
