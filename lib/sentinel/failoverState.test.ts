import { describe, expect, it } from 'vitest';
import { failoverUnderWay } from './failoverState';
import { sentinelFindings } from './findings';
import { sentinelHealth } from './health';
import { healthySentinel, MASTER, REPLICAS, SENTINELS } from './snapshotFixture';
import type { SentinelDataNode, SentinelSnapshot, SentinelView } from './types';
import { sentinelWallSnapshot } from './wall';

// The replies as sentinels give them mid-failover of a SIGSTOPped master: the leader's GET-MASTER-ADDR-BY-NAME already
// answers the promoted replica (failover state RECONF_SLAVES or later) while its SENTINEL MASTER still describes the
// old master; the other sentinels switch only when the leader's hello reaches them.
const [PROMOTED, OTHER] = REPLICAS;
const [LEADER, SECOND, THIRD] = SENTINELS;
const DOWN_FLAGS = ['master', 's_down', 'o_down'];

function view(addr: string, names: string, describes: string, flags: string[]): SentinelView {
  const base = healthySentinel().sentinels.find((s) => s.addr === addr);
  if (!base) throw new Error('fixture');
  return { ...base, masterAddr: names, masterFlagsAddr: describes, masterFlags: flags };
}

function node(addr: string, over: Partial<SentinelDataNode>): SentinelDataNode {
  const s = healthySentinel();
  const base = [s.master, ...s.replicas].find((n) => n?.addr === addr);
  if (!base) throw new Error('fixture');
  return { ...base, ...over };
}

const oldMasterStopped = node(MASTER, {
  reachable: false,
  role: null,
  error: 'timed out after 1000 ms',
  sentinelFlags: ['o_down', 's_down'],
});
const promoted = node(PROMOTED, { role: 'master', masterAddr: undefined, linkUp: undefined });

/** Only the leader switched: most sentinels still name the old master. */
function leaderSwitched(): SentinelSnapshot {
  return {
    ...healthySentinel(),
    master: oldMasterStopped,
    replicas: [promoted, node(OTHER, {})],
    sentinels: [
      view(LEADER, PROMOTED, MASTER, [...DOWN_FLAGS, 'failover_in_progress']),
      view(SECOND, MASTER, MASTER, DOWN_FLAGS),
      view(THIRD, MASTER, MASTER, DOWN_FLAGS),
    ],
    agreement: { agreed: false, addrs: [MASTER, PROMOTED].sort(), reachable: 3, total: 3 },
    haproxy: undefined,
  };
}

/** Two of 3 name the promoted replica, which the snapshot therefore shows as the master. */
function mostSwitched(): SentinelSnapshot {
  return {
    ...leaderSwitched(),
    master: promoted,
    replicas: [oldMasterStopped, node(OTHER, {})],
    sentinels: [
      view(LEADER, PROMOTED, MASTER, [...DOWN_FLAGS, 'failover_in_progress']),
      view(SECOND, PROMOTED, PROMOTED, ['master']),
      view(THIRD, MASTER, MASTER, DOWN_FLAGS),
    ],
  };
}

describe('a failover under way', () => {
  it('is read from the replies: the old master, the promoted one, who switched and who leads', () => {
    expect(failoverUnderWay(mostSwitched())).toEqual({
      from: MASTER,
      to: PROMOTED,
      switched: [LEADER, SECOND],
      notSwitched: [THIRD],
      leading: [LEADER],
      downBy: [LEADER, THIRD],
    });
    expect(failoverUnderWay(healthySentinel())).toBeNull();
  });

  it.each([
    ['only the leader switched', leaderSwitched],
    ['two of 3 switched', mostSwitched],
  ])('%s: the old master is named down, the failover and its target said, the promoted one never down', (_, make) => {
    const s = make();
    const findings = sentinelFindings(s);
    const down = findings.find((f) => f.code === 'sentinel_master_down');
    expect(down?.nodeIds[0]).toBe(MASTER);
    expect(down?.headline).toBe(`master ${MASTER} down (o_down), failover to ${PROMOTED} in progress`);
    expect(down?.message).toMatch(new RegExp(`${THIRD} still names? ${MASTER}`));
    for (const f of findings) expect(f.headline ?? '').not.toContain(`${PROMOTED} down`);
    // Neither "split brain" nor "a second master": both are the failover itself.
    expect(findings.map((f) => f.code)).not.toContain('sentinel_master_disagreement');
    expect(findings.map((f) => f.code)).not.toContain('sentinel_second_master');
    expect(findings.map((f) => f.code)).not.toContain('sentinel_replica_down');
    const tile = sentinelWallSnapshot({ ...s, ageMs: 0, pollIntervalMs: 2000 }, findings);
    expect(tile.health.headline).toContain(`master ${MASTER} down (o_down), failover to ${PROMOTED}`);
    expect(tile.nodes.find((n) => n.addr === PROMOTED)?.state).toBe('up');
    expect(tile.nodes.find((n) => n.addr === MASTER)?.state).toBe('down');
  });

  it('a forced failover (SENTINEL FAILOVER, old master up) is a warning, not DOWN', () => {
    const s = healthySentinel();
    s.sentinels = [
      view(LEADER, PROMOTED, MASTER, ['master', 'failover_in_progress']),
      view(SECOND, MASTER, MASTER, ['master']),
      view(THIRD, MASTER, MASTER, ['master']),
    ];
    s.agreement = { agreed: false, addrs: [MASTER, PROMOTED].sort(), reachable: 3, total: 3 };
    s.haproxy = undefined;
    const findings = sentinelFindings(s);
    expect(findings.map((f) => `${f.severity}:${f.code}`)).toEqual(['warning:sentinel_failover_in_progress']);
    expect(sentinelHealth(findings).health).toBe('degraded');
  });

  it('two masters both up in the sentinels that name them is a split brain, not a failover', () => {
    const s = healthySentinel();
    s.sentinels = [view(LEADER, PROMOTED, PROMOTED, ['master']), view(SECOND, MASTER, MASTER, ['master'])];
    s.agreement = { agreed: false, addrs: [MASTER, PROMOTED].sort(), reachable: 2, total: 2 };
    expect(failoverUnderWay(s)).toBeNull();
    expect(sentinelFindings(s).map((f) => f.code)).toContain('sentinel_master_disagreement');
  });
});
