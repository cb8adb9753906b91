import { describe, expect, it } from 'vitest';
import { parseClusterNodes } from '../redis/clusterNodes';
import { planCreateLayout } from './createLayout';
import { layoutFromPlan, layoutFromView, viewsDiffer } from './createVerify';

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
    expect(layoutFromView(view('a:1'))).toEqual(expected);
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
