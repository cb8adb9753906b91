import { describe, expect, it } from 'vitest';
import { notPolledOutside } from '../config/nodeNetworks';
import { evaluateFindings } from './index';
import { healthy, id, node } from './snapshotFixture';

describe('a member outside nodeNetworks', () => {
  it('is one critical finding naming its address and what to do; never "unreachable"', () => {
    const snapshot = healthy();
    const intruder = node(7, '10.9.9.9', 'master', {
      reachable: false,
      outsideNodeNetworks: true,
      error: notPolledOutside('10.9.9.9:7007'),
      info: undefined,
      viewSignature: undefined,
    });
    snapshot.nodes.push(intruder);
    const findings = evaluateFindings(snapshot);
    expect(findings.map((f) => f.code)).toEqual(['node_outside_networks']);
    const [finding] = findings;
    expect(finding).toMatchObject({ severity: 'critical', nodeIds: [id(7)] });
    expect(finding?.message).toContain('10.9.9.9:7007');
    expect(finding?.message).toContain('outside this cluster');
    expect(finding?.action).toContain('"10.9.9.0/24"');
    expect(finding?.action).toContain(`CLUSTER FORGET ${id(7)}`);
  });

  it('owning slots, leads with the warning that CLUSTER FORGET leaves them unserved, and nodeNetworks first', () => {
    const snapshot = healthy();
    const master = snapshot.nodes.find((n) => n.id === id(2));
    if (!master) throw new Error('fixture');
    Object.assign(master, {
      host: '10.0.5.2',
      addr: '10.0.5.2:7002',
      reachable: false,
      outsideNodeNetworks: true,
      info: undefined,
    });
    const finding = evaluateFindings(snapshot).find((f) => f.code === 'node_outside_networks');
    expect(finding?.headline).toBe(
      `Master 10.0.5.2:7002 (${id(2).slice(0, 8)}) (5,462 slots) is outside nodeNetworks: not polled`,
    );
    expect(finding?.message).toContain('owning 5,462 slots (5461-10922)');
    expect(finding?.action).toMatch(
      /^Do not forget this node first: it serves 5,462 slots, and CLUSTER FORGET would leave them unserved\. First check whether nodeNetworks is simply wrong: if the node is one of yours, add its network \(e\.g\. "10\.0\.5\.0\/24"\)/,
    );
    const action = finding?.action ?? '';
    expect(action.indexOf('"10.0.5.0/24"')).toBeLessThan(action.indexOf(`CLUSTER FORGET ${id(2)}`));
    expect(action).toContain('give its slots to a known master first');
  });

  it('is not reported for a node the dashboard simply cannot reach', () => {
    const snapshot = healthy();
    snapshot.nodes.push(
      node(7, '10.0.0.1', 'master', { reachable: false, error: 'connect ETIMEDOUT', info: undefined }),
    );
    expect(evaluateFindings(snapshot).map((f) => f.code)).not.toContain('node_outside_networks');
  });
});
