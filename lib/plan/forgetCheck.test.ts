import { describe, expect, it } from 'vitest';
import { parseClusterNodes } from '../redis/clusterNodes';
import { forgetBlockers, forgetTargets, type OwnViews } from './forgetCheck';

const id = (c: string) => c.repeat(40);
const [A, B, R, X, H] = ['a', 'b', 'c', 'e', 'f'].map(id) as [string, string, string, string, string];
const line = (nodeId: string, port: number, flags: string, master = '-', slots = '') =>
  `${nodeId} 127.0.0.1:${port}@${port + 10000} ${flags} ${master} 0 0 1 connected${slots ? ` ${slots}` : ''}`;
const view = (...lines: string[]) => parseClusterNodes(lines.join('\n'));
const views = (entries: Array<[string, string[]]>): OwnViews => new Map(entries.map(([k, l]) => [k, view(...l)]));

describe('forgetBlockers', () => {
  const base = [line(A, 7001, 'master', '-', '0-16383'), line(X, 7005, 'master')];

  it('is empty when nothing points at the removed node', () => {
    const v = views([
      [A, [line(A, 7001, 'myself,master', '-', '0-16383'), line(X, 7005, 'master'), line(B, 7002, 'slave', A)]],
      [B, [line(B, 7002, 'myself,slave', A), ...base]],
    ]);
    expect(forgetBlockers(v, X)).toEqual([]);
  });

  it('firmly blocks a node that replicates it ("Can\'t forget my master!")', () => {
    const v = views([[R, [line(R, 7003, 'myself,slave', X), ...base]]]);
    expect(forgetBlockers(v, X)).toEqual([{ reason: expect.stringMatching(/Can't forget my master/), firm: true }]);
  });

  it('blocks, not firmly, what a node says of another (gossip may be on its way)', () => {
    const v = views([
      [A, [line(A, 7001, 'myself,master', '-', '0-16383'), line(X, 7005, 'master'), line(R, 7003, 'slave', X)]],
    ]);
    expect(forgetBlockers(v, X)).toEqual([
      { reason: expect.stringMatching(/says 127.0.0.1:7003 replicates it/), firm: false },
    ]);
  });

  it('blocks the removed node owning slots (a failover since the plan) and slots open towards it', () => {
    const owns = views([
      [X, [line(X, 7005, 'myself,master', '-', '5-9'), line(A, 7001, 'master', '-', '0-4 10-16383')]],
    ]);
    expect(forgetBlockers(owns, X)[0]).toMatchObject({ reason: expect.stringMatching(/owns slots/), firm: true });
    const open = views([[A, [line(A, 7001, 'myself,master', '-', `0-16383 [7->-${X}]`), line(X, 7005, 'master')]]]);
    expect(forgetBlockers(open, X)[0]).toMatchObject({ reason: expect.stringMatching(/slot open/), firm: true });
  });
});

describe('forgetTargets', () => {
  it('lists every node the views name, but the removed one and handshake or address-less lines', () => {
    const v = views([
      [A, [line(A, 7001, 'myself,master', '-', '0-16383'), line(X, 7005, 'master'), line(H, 7009, 'handshake')]],
      [B, [line(B, 7002, 'myself,master'), line(A, 7001, 'master', '-', '0-16383'), line(R, 7003, 'slave,fail', A)]],
    ]);
    expect(forgetTargets(v, X).map((n) => n.id)).toEqual([A, B, R]);
  });
});
