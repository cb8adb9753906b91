import { describe, expect, it } from 'vitest';
import { parseClusterNodes } from '../redis/clusterNodes';
import { planCreateLayout } from './createLayout';
import { layoutFromPlan, layoutFromView, layoutSignature, viewsDiffer } from './createVerify';

const ids = { 'a:1': 'a'.repeat(40), 'b:1': 'b'.repeat(40), 'c:1': 'c'.repeat(40) };
const result = planCreateLayout({ nodes: ['a:1', 'b:1', 'c:1'], replicasPerMaster: 0 });
if (!result.ok) throw new Error('refused');
const expected = layoutFromPlan(result.plan, ids);

const line = (id: string, addr: string, flags: string, slots: string) =>
  `${id} ${addr}@1${addr.slice(-1)}000 ${flags} - 0 0 1 connected ${slots}`;
const view = (me: string, extra = '') =>
  parseClusterNodes(
    [
      line(ids['a:1'], 'a:1', me === 'a:1' ? 'myself,master' : 'master', '0-5460'),
      line(ids['b:1'], 'b:1', me === 'b:1' ? 'myself,master' : 'master', '5461-10922'),
      line(ids['c:1'], 'c:1', me === 'c:1' ? 'myself,master' : `master${extra}`, '10923-16383'),
    ].join('\n'),
  );

describe('viewsDiffer', () => {
  it('is undefined once every node shows the planned layout', () => {
    const views = new Map(['a:1', 'b:1', 'c:1'].map((a) => [a, view(a)]));
    expect(layoutSignature(layoutFromView(view('a:1')))).toBe(layoutSignature(expected));
    expect(viewsDiffer(expected, views)).toBeUndefined();
  });

  it('names the node still in handshake, and the node that did not answer', () => {
    const views = new Map([
      ['a:1', view('a:1', ',handshake')],
      ['b:1', view('b:1')],
    ]);
    expect(viewsDiffer(expected, views)).toBe('a:1 still has 1 node(s) in handshake');
    views.set('a:1', view('a:1'));
    expect(viewsDiffer(expected, views)).toBe('c:1 did not answer CLUSTER NODES');
  });

  it('names a node whose slot map differs from the plan', () => {
    const other = parseClusterNodes(
      [
        line(ids['a:1'], 'a:1', 'myself,master', '0-5461'),
        line(ids['b:1'], 'b:1', 'master', '5462-10922'),
        line(ids['c:1'], 'c:1', 'master', '10923-16383'),
      ].join('\n'),
    );
    const views = new Map([
      ['a:1', other],
      ['b:1', view('b:1')],
      ['c:1', view('c:1')],
    ]);
    expect(viewsDiffer(expected, views)).toBe('a:1 shows a different layout than planned');
  });
});

describe('viewsDiffer by node id', () => {
  // Typed as host names; the cluster announces IPs (cluster-announce-ip, NAT): the same nodes, a healthy cluster.
  const typed = ['h-a:1', 'h-b:1', 'h-c:1', 'h-d:1'];
  const nodeIds = Object.fromEntries(typed.map((a, i) => [a, 'abcd'[i]?.repeat(40) ?? '']));
  const planned = planCreateLayout({ nodes: typed, replicasPerMaster: 0 });
  if (!planned.ok) throw new Error('refused');
  const want = layoutFromPlan(planned.plan, nodeIds);
  // `demoted`: shown as a replica of the first node, without its slots.
  const announced = (me: string, demoted?: string) =>
    parseClusterNodes(
      want
        .map((n, i) => {
          const replica = n.nodeId === demoted;
          const flags = `${n.addr === me ? 'myself,' : ''}${replica ? 'slave' : 'master'}`;
          const master = replica ? want[0]?.nodeId : '-';
          const slots = replica ? '' : n.slots.map(([a, b]) => `${a}-${b}`).join(' ');
          return `${n.nodeId} 10.9.0.${i + 1}:6379@16379 ${flags} ${master} 0 0 1 connected ${slots}`.trim();
        })
        .join('\n'),
    );

  it('agrees when every node announces another address than the one typed', () => {
    const views = new Map(typed.map((a) => [a, announced(a)]));
    expect(viewsDiffer(want, views)).toBeUndefined();
    const result = layoutFromView(announced('h-a:1'), Object.fromEntries(typed.map((a) => [nodeIds[a], a])));
    expect(result.find((n) => n.nodeId === nodeIds['h-a:1'])).toMatchObject({ addr: '10.9.0.1:6379', typed: 'h-a:1' });
  });

  it('names a node whose master differs, and a planned node id a view lacks', () => {
    const views = new Map(typed.map((a) => [a, announced(a, nodeIds['h-d:1'])]));
    expect(viewsDiffer(want, views)).toBe('h-a:1 shows a different layout than planned');
    const short = announced('h-b:1').filter((l) => l.id !== nodeIds['h-c:1']);
    views.set('h-a:1', announced('h-a:1'));
    views.set('h-b:1', short);
    expect(viewsDiffer(want, views)).toMatch(/^h-b:1 does not know h-c:1 \(cccccccc\) yet \(3 of 4 nodes\)$/);
  });
});
