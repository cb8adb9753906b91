import type { ClusterSnapshot } from './types';

/**
 * Nodes as the screens count them. A node outside the cluster's nodeNetworks is never polled (the dashboard does not
 * connect to it): it is counted apart, not as a node that does not answer.
 */
export interface NodeCounts {
  /** Polled and answering. */
  answering: number;
  /** The nodes the dashboard polls: the denominator of "answering". */
  polled: number;
  /** Listed by the cluster but outside nodeNetworks. */
  notPolled: number;
}

export function nodeCounts(snapshot: Pick<ClusterSnapshot, 'nodes' | 'summary'>): NodeCounts {
  const notPolled = snapshot.nodes.filter((n) => n.outsideNodeNetworks).length;
  return {
    answering: snapshot.summary.reachable,
    polled: Math.max(0, snapshot.summary.nodes - notPolled),
    notPolled,
  };
}

/** "4 not polled (outside nodeNetworks)", or undefined when every node is polled. */
export function notPolledNote(notPolled: number): string | undefined {
  return notPolled > 0 ? `${notPolled} not polled (outside nodeNetworks)` : undefined;
}
