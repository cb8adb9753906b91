import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendServers, csvRecords, parseStatCsv } from './haproxyCsv';

/**
 * Real `show stat` of HAProxy 2.6.12 (Debian 12): backend "redis" with a tcp-check whose steps carry
 * `comment "connect, then role"`; n1 is a replica (expect role:master times out), n2 a closed port, b1 and b2 backups
 * at the master. last_chk holds commas and is quoted.
 */
const REAL = readFileSync(new URL('./fixtures/haproxy-2.6-show-stat-backups.csv', import.meta.url), 'utf8');

describe('HAProxy stats CSV', () => {
  it('splits quoted fields holding commas and "" quotes', () => {
    expect(csvRecords('a,"b, c",d\n"x ""y""",,\n')).toEqual([
      ['a', 'b, c', 'd'],
      ['x "y"', '', ''],
    ]);
  });

  it('reads every server of the real output at its own address, with last_chk as the check detail', () => {
    const { servers } = backendServers(parseStatCsv(REAL), 'redis');
    expect(servers.map((s) => [s.name, s.addr, s.status, s.checkStatus])).toEqual([
      ['n1', '127.0.0.1:17392', 'DOWN', 'L7TOUT'],
      ['n2', '127.0.0.1:17394', 'DOWN', 'L4CON'],
      ['b1', '127.0.0.1:17391', 'UP', 'L7OK'],
      ['b2', '127.0.0.1:17391', 'UP', 'L7OK'],
    ]);
    expect(servers[0]?.checkDesc).toBe(
      " at step 5 of tcp-check (expect string 'role:master') comment: 'connect, then role'",
    );
    expect(servers[1]?.checkDesc).toBe(
      "Connection refused at step 1 of tcp-check (connect) comment: 'connect, then role'",
    );
  });

  it('no active server UP: the first UP backup is routed; the other UP backups only with option allbackups', () => {
    const { servers } = backendServers(parseStatCsv(REAL), 'redis');
    expect(servers.map((s) => [s.name, s.routed, s.allbackupsRouted ?? false])).toEqual([
      ['n1', false, false],
      ['n2', false, false],
      ['b1', true, false],
      ['b2', false, true],
    ]);
  });

  it('an active server UP: backups are not routed', () => {
    const up = REAL.replace(/^redis,n2,(([^,]*,){15})DOWN,/m, 'redis,n2,$1UP,');
    const { servers } = backendServers(parseStatCsv(up), 'redis');
    expect(servers.filter((s) => s.routed).map((s) => s.name)).toEqual(['n2']);
    expect(servers.some((s) => s.allbackupsRouted)).toBe(false);
  });
});
