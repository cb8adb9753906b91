import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInfo, parseInfoFields } from '../redis/info';
import { SUMMARY_FIELDS, summarizeInfo } from './infoSummary';

const fixture = (name: string) => readFileSync(new URL(`../redis/fixtures/${name}`, import.meta.url), 'utf8');

describe('the INFO summary from SUMMARY_FIELDS alone', () => {
  it.each(['info-master-7.0.txt', 'info-replica-7.0.txt'])('equals the one from the whole INFO (%s)', (name) => {
    const text = fixture(name);
    expect(summarizeInfo(parseInfoFields(text, SUMMARY_FIELDS))).toEqual(summarizeInfo(parseInfo(text)));
  });

  it('sees a Valkey version, a link down on a replica and keys in several dbs', () => {
    const text = fixture('info-replica-7.0.txt')
      .replace(/^master_link_status:.*$/m, 'master_link_status:down\r\nmaster_link_down_since_seconds:12')
      .replace(/^# Server\r?\n/m, '# Server\r\nvalkey_version:8.0.1\r\n')
      .concat('db3:keys=7,expires=0,avg_ttl=0\r\n');
    const summary = summarizeInfo(parseInfoFields(text, SUMMARY_FIELDS));
    expect(summary).toEqual(summarizeInfo(parseInfo(text)));
    expect(summary).toMatchObject({ redis_version: '8.0.1', master_link_status: 'down' });
    expect(summary.master_link_down_since_seconds).toBe(12);
  });

  it('refuses what parseInfo refuses', () => {
    expect(() => parseInfoFields('# Server\r\nnot a field\r\n', SUMMARY_FIELDS)).toThrow(/not a field/);
    expect(() => parseInfoFields('\r\n', SUMMARY_FIELDS)).toThrow(/empty/);
  });
});
