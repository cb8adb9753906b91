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

  it('is not reported for a node the dashboard simply cannot reach', () => {
    const snapshot = healthy();
    snapshot.nodes.push(
      node(7, '10.0.0.1', 'master', { reachable: false, error: 'connect ETIMEDOUT', info: undefined }),
    );
    expect(evaluateFindings(snapshot).map((f) => f.code)).not.toContain('node_outside_networks');
  });
});
