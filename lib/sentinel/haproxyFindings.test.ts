import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { haproxyReading } from './deploymentView';
import { sentinelFindings } from './findings';
import { backendServers, parseStatCsv } from './haproxyCsv';
import { healthySentinel } from './snapshotFixture';
import type { SentinelSnapshot } from './types';

// Real HAProxy 2.6 `show stat`: actives n1 (127.0.0.1:17392, a replica) and n2 (closed) DOWN; backups b1, b2 UP at
// 127.0.0.1:17391, the master. See haproxyCsv.test.ts.
const REAL = readFileSync(new URL('./fixtures/haproxy-2.6-show-stat-backups.csv', import.meta.url), 'utf8');
const MASTER = '127.0.0.1:17391';
const REPLICA = '127.0.0.1:17392';

/** The fixture deployment with the master and one replica at the captured addresses, and HAProxy's parsed stats. */
function deployment(csv: string, masterAddr: string): SentinelSnapshot {
  const s = healthySentinel();
  const [master, replica] = [s.master, s.replicas[0]];
  if (!master || !replica) throw new Error('fixture');
  const replicaAddr = masterAddr === MASTER ? REPLICA : MASTER;
  s.master = { ...master, addr: masterAddr, host: '127.0.0.1' };
  s.replicas = [{ ...replica, addr: replicaAddr, host: '127.0.0.1', masterAddr }];
  s.sentinels = s.sentinels.map((v) => ({ ...v, masterAddr }));
  s.agreement = { ...s.agreement, addrs: [masterAddr] };
  const nodes = [masterAddr, replicaAddr];
  const { servers } = backendServers(parseStatCsv(csv), 'redis');
  s.haproxy = {
    backend: 'redis',
    source: 'socket',
    reachable: true,
    backendStatus: 'UP',
    servers: servers.map((x) => (x.addr && nodes.includes(x.addr) ? { ...x, nodeAddr: x.addr } : x)),
  };
  return s;
}

const haproxyCodes = (s: SentinelSnapshot) =>
  sentinelFindings(s)
    .filter((f) => f.code.startsWith('haproxy_'))
    .map((f) => `${f.severity}:${f.code}`);

describe('HAProxy findings with backups (real show stat)', () => {
  it('no active UP, the first UP backup is the master: routed there, no finding, the page counts 1 routed', () => {
    const s = deployment(REAL, MASTER);
    expect(haproxyCodes(s)).toEqual([]);
    expect(haproxyReading(s)).toMatchObject({ routed: 1, agrees: true });
  });

  it('the backup HAProxy falls back to is not the master: "HAProxy and sentinels disagree", naming the backup', () => {
    const s = deployment(REAL, REPLICA);
    // b2, at the same wrong node, takes writes too with option allbackups.
    expect(haproxyCodes(s)).toEqual(['critical:haproxy_wrong_master', 'warning:haproxy_backup_may_route']);
    const f = sentinelFindings(s).find((x) => x.code === 'haproxy_wrong_master');
    expect(f?.message).toContain('b1 (127.0.0.1:17391, a backup: no active server is UP)');
  });

  it('a second UP backup at another node: a warning that it takes writes with option allbackups', () => {
    const csv = REAL.replace(/^(redis,b2,.*),127\.0\.0\.1:17391,/m, `$1,${REPLICA},`);
    const s = deployment(csv, MASTER);
    expect(haproxyCodes(s)).toEqual(['warning:haproxy_backup_may_route']);
    expect(sentinelFindings(s).find((x) => x.code === 'haproxy_backup_may_route')?.message).toContain(
      `option allbackups\` it also sends to b2 (${REPLICA})`,
    );
  });
});
