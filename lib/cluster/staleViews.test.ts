import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClusterInfo } from '../redis/clusterInfo';
import { parseClusterNodes } from '../redis/clusterNodes';
import { parseInfo } from '../redis/info';
import { buildSnapshot } from './buildSnapshot';
import type { NodeReport } from './types';

// Large clusters read a share of views per poll; the others stand from an earlier poll. An earlier view cannot show
// what changed since, so it looks the healthiest: it must not be the one the snapshot is placed by.
const fixture = (name: string) => readFileSync(new URL(`../redis/fixtures/${name}`, import.meta.url), 'utf8');
const text = fixture('cluster-nodes-7.0.txt');
const info = parseInfo(fixture('info-master-7.0.txt'));
const clusterInfo = { ...parseClusterInfo(fixture('cluster-info-7.0.txt')), cluster_state: 'fail' };
const FAILED = '7b5a3dec0c0b8a975a423d4898786b20a46872d1';

function viewFrom(id: string, failed: boolean): string {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const fields = line.split(' ');
      const flags = (fields[2] ?? '').replace('myself,', '');
      fields[2] = `${fields[0] === id ? 'myself,' : ''}${flags}${failed && fields[0] === FAILED ? ',fail' : ''}`;
      return fields.join(' ');
    })
    .join('\n');
}

const report = (id: string, failed: boolean, earlier: boolean): NodeReport => ({
  addr: `${id.slice(0, 4)}:1`,
  ok: true,
  rttMs: 1,
  nodes: parseClusterNodes(viewFrom(id, failed)),
  info,
  clusterInfo,
  ...(earlier ? { viewFromEarlierPoll: true as const } : {}),
});

describe('a view from an earlier poll', () => {
  it('is not the reference while a view read in this poll shares its membership', () => {
    const reports = [
      // Views of this poll: the master is FAIL. Views from earlier polls (lower ids: they would win the tie) do not say so.
      report('f7790190fd6130b01605ac82415340231a4d2b21', true, false),
      report('9f574c4ffe1109d856e0df96a03747edc88a0a0e', true, false),
      report('81c5649a3a2e7d508d506c92cca3bd1aaeb5ed94', false, true),
      report('895eaf00a2b5426dd85cd8631c409a557e5920b2', false, true),
      report('ecaba80ebb07a86561d5043b9bed7dfa3b4401aa', false, true),
    ];
    const snapshot = buildSnapshot({
      clusterId: 'c',
      clusterName: 'C',
      collectedAt: new Date(0),
      pollDurationMs: 1,
      reports,
      connectAddr: (a) => a,
    });
    expect(['f7790190fd6130b01605ac82415340231a4d2b21', '9f574c4ffe1109d856e0df96a03747edc88a0a0e']).toContain(
      snapshot.referenceNodeId,
    );
    expect(snapshot.nodes.find((n) => n.id === FAILED)?.flags).toContain('fail');
  });
});

// A failover since the earlier views were read: ecaba80e (the replica of 7b5a3dec) is now the master of 5461-10921
// with epoch 7, and 7b5a3dec its replica. Views of this poll say so; the two nodes' own views are from earlier polls.
const PROMOTED = 'ecaba80ebb07a86561d5043b9bed7dfa3b4401aa';
function afterFailover(id: string): string {
  return viewFrom(id, false)
    .split('\n')
    .map((line) => {
      const f = line.split(' ');
      if (f[0] === PROMOTED)
        return [f[0], f[1], f[2]?.replace('slave', 'master'), '-', '0', f[5], '7', 'connected', '5461-10921'].join(' ');
      if (f[0] === FAILED)
        return [f[0], f[1], f[2]?.replace('master', 'slave'), PROMOTED, '0', f[5], '7', 'connected'].join(' ');
      return line;
    })
    .join('\n');
}

const okInfo = { ...clusterInfo, cluster_state: 'ok' };
const reportOf = (id: string, view: string, earlier: boolean): NodeReport => ({
  addr: `${id.slice(0, 4)}:1`,
  ok: true,
  rttMs: 1,
  nodes: parseClusterNodes(view),
  info,
  clusterInfo: okInfo,
  ...(earlier ? { viewFromEarlierPoll: true as const } : {}),
});

const build = (reports: NodeReport[]) =>
  buildSnapshot({
    clusterId: 'c',
    clusterName: 'C',
    collectedAt: new Date(0),
    pollDurationMs: 1,
    reports,
    connectAddr: (a) => a,
  });

describe('a node whose own view is from an earlier poll', () => {
  it('takes role, master, slots and epoch from the reference read this poll: no two owners, no uncovered slots', () => {
    const snapshot = build([
      reportOf(
        'f7790190fd6130b01605ac82415340231a4d2b21',
        afterFailover('f7790190fd6130b01605ac82415340231a4d2b21'),
        false,
      ),
      reportOf(
        '9f574c4ffe1109d856e0df96a03747edc88a0a0e',
        afterFailover('9f574c4ffe1109d856e0df96a03747edc88a0a0e'),
        false,
      ),
      // Their own views, read before the failover.
      reportOf(PROMOTED, viewFrom(PROMOTED, false), true),
      reportOf(FAILED, viewFrom(FAILED, false), true),
      reportOf(
        '895eaf00a2b5426dd85cd8631c409a557e5920b2',
        viewFrom('895eaf00a2b5426dd85cd8631c409a557e5920b2', false),
        true,
      ),
      reportOf(
        '81c5649a3a2e7d508d506c92cca3bd1aaeb5ed94',
        viewFrom('81c5649a3a2e7d508d506c92cca3bd1aaeb5ed94', false),
        true,
      ),
    ]);
    const promoted = snapshot.nodes.find((n) => n.id === PROMOTED);
    const demoted = snapshot.nodes.find((n) => n.id === FAILED);
    expect(promoted).toMatchObject({ role: 'master', masterId: null, configEpoch: 7, slots: [[5461, 10921]] });
    expect(demoted).toMatchObject({ role: 'replica', masterId: PROMOTED, slots: [] });
    expect(promoted?.roleInReference).toBeUndefined();
    expect(demoted?.viewSignature).toBeUndefined();
    const owners = snapshot.nodes.filter((n) => n.slots.some(([a, b]) => a <= 6000 && 6000 <= b));
    expect(owners.map((n) => n.id)).toEqual([PROMOTED]);
    expect(snapshot.summary.slotsCovered).toBe(16384);
  });

  it('does not make an earlier membership the reference: a node that just joined is not "forgotten by some"', () => {
    const joined = 'aaaa000000000000000000000000000000000001 127.0.0.9:7000@17000 master - 0 1795302365000 0 connected';
    const withJoined = (id: string) => `${viewFrom(id, true)}\n${joined}`;
    const snapshot = build([
      reportOf(
        'f7790190fd6130b01605ac82415340231a4d2b21',
        withJoined('f7790190fd6130b01605ac82415340231a4d2b21'),
        false,
      ),
      reportOf(
        '9f574c4ffe1109d856e0df96a03747edc88a0a0e',
        withJoined('9f574c4ffe1109d856e0df96a03747edc88a0a0e'),
        false,
      ),
      // Most views are from before the join (and before the FAIL): they share a membership of their own.
      reportOf(PROMOTED, viewFrom(PROMOTED, false), true),
      reportOf(
        '895eaf00a2b5426dd85cd8631c409a557e5920b2',
        viewFrom('895eaf00a2b5426dd85cd8631c409a557e5920b2', false),
        true,
      ),
      reportOf(
        '81c5649a3a2e7d508d506c92cca3bd1aaeb5ed94',
        viewFrom('81c5649a3a2e7d508d506c92cca3bd1aaeb5ed94', false),
        true,
      ),
    ]);
    expect(['f7790190fd6130b01605ac82415340231a4d2b21', '9f574c4ffe1109d856e0df96a03747edc88a0a0e']).toContain(
      snapshot.referenceNodeId,
    );
    expect(snapshot.nodes.find((n) => n.id.startsWith('aaaa'))?.notInReference).toBeUndefined();
    const failed = snapshot.nodes.find((n) => n.id === FAILED);
    expect(failed?.flags).toContain('fail');
    expect(failed?.failSeenBy?.length).toBe(2);
  });
});
