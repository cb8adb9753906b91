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
