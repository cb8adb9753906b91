import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClusterInfo } from '../redis/clusterInfo';
import { parseClusterNodes } from '../redis/clusterNodes';
import { parseInfo } from '../redis/info';
import { buildSnapshot, IN_HANDSHAKE } from './buildSnapshot';
import type { NodeReport } from './types';

const fixture = (name: string) => readFileSync(new URL(`../redis/fixtures/${name}`, import.meta.url), 'utf8');
const baseNodes = fixture('cluster-nodes-7.0.txt');
const clusterInfo = parseClusterInfo(fixture('cluster-info-7.0.txt'));
const masterInfo = parseInfo(fixture('info-master-7.0.txt'));
const replicaInfo = parseInfo(fixture('info-replica-7.0.txt'));

/** The fixture's view as seen from node `id`: move the myself flag onto that node's line. */
function viewFrom(id: string, text = baseNodes): string {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [nodeId, addr, flags, ...rest] = line.split(' ');
      const plain = (flags ?? '').replace('myself,', '');
      return [nodeId, addr, nodeId === id ? `myself,${plain}` : plain, ...rest].join(' ');
    })
    .join('\n');
}

const lines = parseClusterNodes(baseNodes);
const addrOf = (id: string) => {
  const line = lines.find((l) => l.id === id);
  return `${line?.host}:${line?.port}`;
};

function okReport(id: string, text = baseNodes, epoch = 3): NodeReport {
  const line = lines.find((l) => l.id === id);
  return {
    addr: addrOf(id),
    ok: true,
    rttMs: 1,
    nodes: parseClusterNodes(viewFrom(id, text)),
    clusterInfo: { ...clusterInfo, cluster_current_epoch: epoch },
    info: line?.role === 'master' ? masterInfo : replicaInfo,
  };
}

const build = (reports: NodeReport[], connectAddr = (a: string) => a) =>
  buildSnapshot({
    clusterId: 'c',
    clusterName: 'C',
    collectedAt: new Date(0),
    pollDurationMs: 5,
    reports,
    connectAddr,
  });

describe('buildSnapshot', () => {
  it('lists every node with its role, slots and INFO when all answer', () => {
    const snap = build(lines.map((l) => okReport(l.id)));
    expect(snap.status).toBe('ok');
    expect(snap.summary).toEqual({ nodes: 6, masters: 3, replicas: 3, reachable: 6, slotsCovered: 16384 });
    expect(snap.nodes.map((n) => n.role)).toEqual(['master', 'replica', 'master', 'replica', 'master', 'replica']);
    expect(snap.nodes[0]?.slots).toEqual([[0, 5460]]);
    expect(snap.nodes[1]?.masterId).toBe(snap.nodes[0]?.id);
    expect(snap.nodes.every((n) => !n.flags.includes('myself'))).toBe(true);
    expect(snap.nodes[0]?.info?.redis_version).toBe('7.0.15');
    expect(snap.unidentified).toEqual([]);
  });

  it('reports an unreachable node from the others view, with its error', () => {
    const [down, ...up] = lines;
    if (!down) throw new Error('fixture has no nodes');
    const snap = build([
      ...up.map((l) => okReport(l.id)),
      { addr: addrOf(down.id), ok: false, error: 'connect ECONNREFUSED' },
    ]);
    const node = snap.nodes.find((n) => n.id === down.id);
    expect(node).toMatchObject({ reachable: false, error: 'connect ECONNREFUSED', role: down.role });
    expect(node?.info).toBeUndefined();
    expect(snap.summary.reachable).toBe(5);
  });

  it('takes the migrating marker from the node that has it', () => {
    const migrating = fixture('cluster-nodes-migrating-7.0.txt');
    const source = parseClusterNodes(migrating).find((l) => l.myself);
    if (!source) throw new Error('fixture has no myself line');
    const reports = lines.map((l) =>
      l.id === source.id ? { ...okReport(l.id), nodes: parseClusterNodes(migrating) } : okReport(l.id),
    );
    const node = build(reports).nodes.find((n) => n.id === source.id);
    expect(node?.migrating).toEqual([{ slot: 0, to: '7b5a3dec0c0b8a975a423d4898786b20a46872d1' }]);
  });

  it('never lets a forgotten node that sees only itself become the reference', () => {
    const loner: NodeReport = {
      addr: '127.0.0.9:9999',
      ok: true,
      rttMs: 1,
      nodes: parseClusterNodes(`${'e'.repeat(40)} 127.0.0.9:9999@19999 myself,master - 0 0 99 connected`),
      clusterInfo: { ...clusterInfo, cluster_current_epoch: 99, cluster_state: 'fail' },
      info: masterInfo,
    };
    const snap = build([loner, ...lines.map((l) => okReport(l.id))]);
    expect(snap.status).toBe('ok');
    expect(snap.nodes).toHaveLength(6);
    expect(snap.unidentified).toEqual([{ addr: '127.0.0.9:9999', error: expect.stringMatching(/not a member/) }]);
  });

  it('says unknown when nothing answers, and keeps the seeds errors', () => {
    const snap = build([{ addr: '10.0.0.1:6379', ok: false, error: 'timeout' }]);
    expect(snap.status).toBe('unknown');
    expect(snap.nodes).toEqual([]);
    expect(snap.unidentified).toEqual([{ addr: '10.0.0.1:6379', error: 'timeout' }]);
  });

  it('applies the NAT map to find a node report', () => {
    const nat = (a: string) => `nat-${a}`;
    const reports = lines.map((l) => ({ ...okReport(l.id), addr: nat(addrOf(l.id)) }));
    const snap = build(reports, nat);
    expect(snap.summary.reachable).toBe(6);
    expect(snap.nodes[0]?.connectAddr).toBe(`nat-${snap.nodes[0]?.addr}`);
  });

  it('keeps who reports FAIL, and each node own cluster_state, so a minority view is not hidden', () => {
    const [down, a, b, ...rest] = lines;
    if (!down || !a || !b) throw new Error('fixture too small');
    const failIn = (text: string) => text.replace(new RegExp(`^(${down.id} \\S+ )(\\S+)`, 'm'), '$1$2,fail');
    const reports = [
      { ...okReport(a.id, failIn(baseNodes)), clusterInfo: { ...clusterInfo, cluster_state: 'fail' } },
      okReport(b.id),
      ...rest.map((l) => okReport(l.id)),
      { addr: addrOf(down.id), ok: false as const, error: 'timeout' },
    ];
    const snap = build(reports);
    expect(snap.nodes.find((n) => n.id === down.id)?.failSeenBy).toEqual([a.id]);
    expect(snap.nodes.find((n) => n.id === a.id)?.clusterState).toBe('fail');
    expect(snap.nodes.find((n) => n.id === b.id)?.clusterState).toBe('ok');
  });

  it('takes role and role flag from the node itself and shows the reference disagreeing', () => {
    const replica = lines.find((l) => l.role === 'replica');
    if (!replica) throw new Error('fixture has no replica');
    const promoted = viewFrom(replica.id).replace(
      new RegExp(`^(${replica.id} \\S+ )myself,slave [0-9a-f]{40}`, 'm'),
      '$1myself,master -',
    );
    const reports = lines.map((l) =>
      l.id === replica.id ? { ...okReport(l.id), nodes: parseClusterNodes(promoted) } : okReport(l.id),
    );
    const node = build(reports).nodes.find((n) => n.id === replica.id);
    expect(node).toMatchObject({ role: 'master', roleInReference: 'replica' });
    expect(node?.flags).toContain('master');
    expect(node?.flags).not.toContain('slave');
  });

  it('shows a handshake node as such and does not count it reachable', () => {
    const hs = `${'a'.repeat(40)} 127.0.0.9:7777@17777 handshake - 0 0 0 connected`;
    const reports = lines.map((l) => okReport(l.id, `${baseNodes.trim()}\n${hs}`));
    const node = build(reports).nodes.find((n) => n.id === 'a'.repeat(40));
    expect(node).toMatchObject({ reachable: false, error: IN_HANDSHAKE });
    expect(node?.flags).toContain('handshake');
  });

  it('keeps a node that most views forgot but that still answers and knows the others', () => {
    const [forgotten, ...rest] = lines;
    if (!forgotten) throw new Error('fixture too small');
    const without = baseNodes
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith(forgotten.id))
      .join('\n');
    const snap = build([okReport(forgotten.id), ...rest.map((l) => okReport(l.id, without))]);
    const node = snap.nodes.find((n) => n.id === forgotten.id);
    expect(node).toMatchObject({ reachable: true, notInReference: true });
    expect(snap.unidentified).toEqual([]);
  });

  it('keeps the last known members, unreachable, when nothing answers', () => {
    const before = build(lines.map((l) => okReport(l.id)));
    const snap = buildSnapshot({
      clusterId: 'c',
      clusterName: 'C',
      collectedAt: new Date(1000),
      pollDurationMs: 5,
      reports: lines.map((l) => ({ addr: addrOf(l.id), ok: false as const, error: 'connect ECONNREFUSED' })),
      connectAddr: (a) => a,
      previous: before,
    });
    expect(snap.status).toBe('unknown');
    expect(snap.nodes.map((n) => n.id).sort()).toEqual(before.nodes.map((n) => n.id).sort());
    expect(snap.nodes.every((n) => !n.reachable && n.error === 'connect ECONNREFUSED' && !n.info)).toBe(true);
    expect(snap.unidentified).toEqual([]);
  });

  it('gives an eviction rate between two polls, none across a restart', () => {
    const master = lines.find((l) => l.role === 'master');
    if (!master) throw new Error('no master');
    const first = build(lines.map((l) => okReport(l.id)));
    const later = lines.map((l) => {
      const r = okReport(l.id);
      if (l.id !== master.id || !r.ok) return r;
      const fields = { ...r.info.fields, evicted_keys: String(Number(r.info.fields.evicted_keys ?? 0) + 50) };
      return { ...r, info: { ...r.info, fields } };
    });
    const snap = buildSnapshot({
      clusterId: 'c',
      clusterName: 'C',
      collectedAt: new Date(10_000),
      pollDurationMs: 5,
      reports: later,
      connectAddr: (a) => a,
      previous: first,
    });
    expect(snap.nodes.find((n) => n.id === master.id)?.evictedPerSec).toBe(5);
    expect(snap.nodes.find((n) => n.id !== master.id)?.evictedPerSec).toBe(0);
  });
});
