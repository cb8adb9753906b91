import type { ClusterSnapshot } from '../cluster/types';
import { nodeName } from '../findings/describe';
import type { TimelineEvent } from './diff';

/**
 * uptime_in_seconds is whole seconds and read a little after collectedAt: a start time computed from it moves by up to
 * about a second between polls of a node that did not restart.
 */
const START_JITTER_MS = 2000;

/**
 * Spots node restarts: a node's start time (collectedAt minus its uptime) moving later than when it was last seen
 * answering. Unlike a diff of two consecutive snapshots, it remembers each node's start across polls in which the node
 * did not answer, so a node killed and started again shows as restarted, not only as reachable again.
 */
export class RestartWatch {
  private readonly startedAt = new Map<string, number>();

  /** node_restarted events for this snapshot; the first sight of a node only records its start. */
  check(snapshot: ClusterSnapshot): TimelineEvent[] {
    const at = Date.parse(snapshot.collectedAt);
    const events: TimelineEvent[] = [];
    const listed = new Set<string>();
    for (const node of snapshot.nodes) {
      listed.add(node.id);
      const uptime = node.info?.uptime_in_seconds;
      if (!node.reachable || uptime === undefined) continue;
      const started = at - uptime * 1000;
      const before = this.startedAt.get(node.id);
      this.startedAt.set(node.id, started);
      if (before === undefined || started <= before + START_JITTER_MS) continue;
      events.push({
        at: snapshot.collectedAt,
        kind: 'node_restarted',
        severity: 'warning',
        nodeIds: [node.id],
        message: `${nodeName(node)} restarted (up ${uptime} s): its rates start again from zero.`,
      });
    }
    // A node the cluster forgot; one merely unreachable stays listed (and remembered).
    if (snapshot.nodes.length) for (const id of this.startedAt.keys()) if (!listed.has(id)) this.startedAt.delete(id);
    return events;
  }
}
