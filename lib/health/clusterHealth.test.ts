import { describe, expect, it } from 'vitest';
import type { Finding } from '../findings/types';
import { clusterHealth } from './clusterHealth';

const finding = (over: Partial<Finding>): Finding => ({
  code: 'x',
  severity: 'warning',
  nodeIds: [],
  message: 'Something. More.',
  action: 'do',
  ...over,
});

describe('clusterHealth', () => {
  it('is OK with only information', () => {
    expect(clusterHealth([finding({ severity: 'info' })]).health).toBe('ok');
    expect(clusterHealth([]).headline).toMatch(/^OK/);
  });

  it('leads with the slots of a hung master even while cluster_state is ok', () => {
    const h = clusterHealth([
      finding({ code: 'master_no_replica', severity: 'warning', message: 'No replica.' }),
      finding({
        code: 'unreachable_from_dashboard',
        slots: Array.from({ length: 5461 }, (_, i) => i),
        headline: '5,461 slots (33 %) on a master that does not answer',
      }),
    ]);
    expect(h.health).toBe('degraded');
    expect(h.headline).toBe('DEGRADED — 5,461 slots (33 %) on a master that does not answer (+1 more finding)');
  });

  it('is DOWN when slots are not served, whatever else is wrong', () => {
    const h = clusterHealth([
      finding({ code: 'replication_link_down', severity: 'critical', message: 'Link down.' }),
      finding({ code: 'slots_unserved', severity: 'critical', slots: [1, 2], headline: '2 slots on a failed master' }),
    ]);
    expect(h.health).toBe('down');
    expect(h.worst?.code).toBe('slots_unserved');
    expect(clusterHealth([finding({ code: 'cluster_state_fail', severity: 'critical' })]).health).toBe('down');
  });

  it('a critical finding that serves every slot is DEGRADED, not DOWN', () => {
    expect(clusterHealth([finding({ code: 'replication_link_down', severity: 'critical' })]).health).toBe('degraded');
  });

  it('is UNKNOWN when nothing answers, with no data, or when the data is stale', () => {
    expect(clusterHealth([finding({ code: 'no_node_reachable', severity: 'critical' })]).health).toBe('unknown');
    expect(clusterHealth(undefined).health).toBe('unknown');
    const stale = clusterHealth([], { stale: true, staleSince: '14:02:11' });
    expect(stale.health).toBe('unknown');
    expect(stale.headline).toContain('14:02:11');
  });
});

describe('clusterHealth when stale', () => {
  it('keeps the last known state in words, never its colour', () => {
    const h = clusterHealth(
      [
        finding({
          code: 'unreachable_from_dashboard',
          slots: [1],
          headline: '1 slot on a master that does not answer',
        }),
      ],
      { stale: true, staleSince: '14:02:11' },
    );
    expect(h.health).toBe('unknown');
    expect(h.headline).toBe(
      'UNKNOWN — no fresh data since 14:02:11; last seen DEGRADED: 1 slot on a master that does not answer',
    );
  });
});
