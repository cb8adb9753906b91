import { describe, expect, it } from 'vitest';
import { backendServers, parseStatCsv } from './haproxyCsv';
import { ckquorumReply, flatRecord, masterAddrReply, recordAddr, recordList } from './replies';

// HAProxy 2.6 `show stat` (columns cut after lastchg's neighbours; read by name, so the order and count do not matter).
const CSV = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,addr,check_desc
stats,FRONTEND,,,1,1,100,1,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,1,0,,,,0,0,0,1,,,,0,,
redis,r1,0,0,3,5,,42,0,0,,0,,0,0,0,0,UP,1,1,0,0,0,120,0,,1,2,1,,42,,2,0,,3,L7OK,0,1,,127.0.0.1:6379,Layer7 check passed
redis,r2,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,119,119,,1,2,2,,0,,2,0,,0,L7RSP,,0,,127.0.0.2:6379,TCPCHK did not match content 'role:master' at step 5
redis,r3,0,0,0,0,,0,0,0,,0,,0,0,0,0,UP 1/3,1,0,1,0,0,7,0,,1,2,3,,0,,2,0,,0,L7OK,0,0,,127.0.0.3:6379,Layer7 check passed
redis,BACKEND,0,0,3,5,,42,0,0,0,0,,0,0,0,0,UP,1,1,1,,0,120,0,,1,2,0,,42,,1,0,,3,,,,,,
`;

describe('parseStatCsv / backendServers', () => {
  it("reads the backend's servers by column name: status, addr, check, sessions, lastchg, backup", () => {
    const { servers, backendStatus, found } = backendServers(parseStatCsv(CSV), 'redis');
    expect(found).toBe(true);
    expect(backendStatus).toBe('UP');
    expect(servers).toEqual([
      {
        name: 'r1',
        addr: '127.0.0.1:6379',
        status: 'UP',
        routed: true,
        backup: false,
        checkStatus: 'L7OK',
        checkDesc: 'Layer7 check passed',
        sessions: 3,
        totalSessions: 42,
        lastChangeSeconds: 120,
      },
      expect.objectContaining({ name: 'r2', status: 'DOWN', routed: false, checkStatus: 'L7RSP' }),
      // A backup server is never "routed" while an active one is up.
      expect.objectContaining({ name: 'r3', status: 'UP 1/3', routed: false, backup: true }),
    ]);
    expect(servers[1]?.checkDesc).toContain("'role:master'");
  });

  it('no header, garbage, an empty reply or another backend: no rows, no throw', () => {
    for (const text of ['', 'Unknown command.\n', '\u0000\u0001,,,', 'a,b,c\n1,2,3', '# nope\n']) {
      expect(() => parseStatCsv(text)).not.toThrow();
      expect(parseStatCsv(text)).toEqual([]);
    }
    expect(backendServers(parseStatCsv(CSV), 'other')).toEqual({ servers: [], found: false });
    const short = '# pxname,svname,status,addr\nredis,r1\nredis\nredis,r2,UP,1.2.3.4:1,extra,cells\n';
    expect(backendServers(parseStatCsv(short), 'redis').servers.map((s) => [s.name, s.status])).toEqual([
      ['r1', 'unknown'],
      ['r2', 'UP'],
    ]);
  });
});

describe('sentinel replies', () => {
  it('flat records and lists of them', () => {
    expect(flatRecord(['ip', '10.0.0.1', 'port', '6379', 'flags', 'master'])).toEqual({
      ip: '10.0.0.1',
      port: '6379',
      flags: 'master',
    });
    expect(recordList([['ip', 'a', 'port', '1'], 'junk', ['ip', 'b']])).toEqual([{ ip: 'a', port: '1' }, { ip: 'b' }]);
    expect(recordAddr({ ip: '::1', port: '6379' })).toBe('[::1]:6379');
    expect(recordAddr({ ip: '10.0.0.1', port: 'x' })).toBeUndefined();
  });

  it('garbage in: empty results, never a throw', () => {
    const garbage: unknown[] = [null, undefined, 42, 'OK', {}, [1], [null, null], [['a']], Buffer.from('x'), [[], {}]];
    for (const g of garbage) {
      expect(() => flatRecord(g)).not.toThrow();
      expect(() => recordList(g)).not.toThrow();
      expect(masterAddrReply(g)).toBeNull();
      expect(() => ckquorumReply(g)).not.toThrow();
    }
    expect(flatRecord(['odd'])).toEqual({});
  });

  it('GET-MASTER-ADDR-BY-NAME and CKQUORUM', () => {
    expect(masterAddrReply(['10.0.0.1', '6379'])).toBe('10.0.0.1:6379');
    expect(masterAddrReply(null)).toBeNull();
    expect(masterAddrReply(['10.0.0.1', '0'])).toBeNull();
    expect(ckquorumReply('OK 3 usable Sentinels. Quorum and failover authorization can be reached').ok).toBe(true);
    expect(ckquorumReply('NOQUORUM 1 usable Sentinels.').ok).toBe(false);
  });
});
