import { describe, expect, it } from 'vitest';
import type { ResolvedCluster } from '../config/load';
import { ClusterCollector, VIEW_ROUNDS } from './collector';

/** The collector's plan of which views to read, reached the way the poll reaches it. */
interface Planning {
  viewPlan(targets: string[]): { read(addr: string): boolean };
  views: { read(addr: string, text: string, keepTimes?: boolean): unknown };
  infoNow: Map<string, string>;
  infoAtView: Map<string, string>;
}

describe('views read by share (large clusters)', () => {
  it('reads every view within 2 × VIEW_ROUNDS polls even when every node’s CLUSTER INFO changes every poll', () => {
    const cluster = { id: 'x', name: 'x', seeds: [], natMap: {}, nodeDeadlineMs: 1000 } as unknown as ResolvedCluster;
    const collector = new ClusterCollector(cluster) as unknown as Planning;
    const targets = Array.from({ length: 1000 }, (_, i) => `10.0.${i >> 8}.${i & 255}:7000`);
    for (const addr of targets) {
      collector.views.read(addr, `${'a'.repeat(40)} ${addr}@17000 myself,master - 0 0 1 connected`);
      collector.infoNow.set(addr, 'epoch 0');
      collector.infoAtView.set(addr, 'epoch 0');
    }
    const lastRead = new Map<string, number>();
    for (let poll = 1; poll <= 2 * VIEW_ROUNDS; poll++) {
      // A failover or slot move bumps the epoch every node reports.
      for (const addr of targets) collector.infoNow.set(addr, `epoch ${poll}`);
      const plan = collector.viewPlan(targets);
      for (const addr of targets) {
        if (!plan.read(addr)) continue;
        lastRead.set(addr, poll);
        collector.infoAtView.set(addr, collector.infoNow.get(addr) ?? '');
      }
    }
    expect(targets.filter((a) => !lastRead.has(a))).toEqual([]);
  });
});
