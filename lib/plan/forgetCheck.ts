import type { ClusterNodeLine } from '../redis/clusterNodes';

/** Each node's own CLUSTER NODES, keyed by the id of the node that answered. */
export type OwnViews = ReadonlyMap<string, readonly ClusterNodeLine[]>;

const label = (l: Pick<ClusterNodeLine, 'id' | 'host' | 'port'>) => (l.host ? `${l.host}:${l.port}` : l.id);

/** A reason not to FORGET; `firm` when a node says it of itself (its myself line), not news that gossip may still fix. */
export interface Blocker {
  reason: string;
  firm: boolean;
}

/**
 * Why CLUSTER FORGET of `nodeId` must not go out now, read from every node's own view (never the poller's snapshot):
 * a node that still replicates it (Redis answers "Can't forget my master!" there, and forgetting elsewhere would leave
 * that replica orphaned), the node owning slots or being a master with replicas again (a failover since the plan), a
 * slot open towards or from it. Empty when FORGET may go out.
 */
export function forgetBlockers(views: OwnViews, nodeId: string): Blocker[] {
  const found = new Map<string, boolean>();
  const reasons = {
    add: (reason: string, firm = false) => found.set(reason, firm || (found.get(reason) ?? false)),
  };
  for (const [viewer, lines] of views) {
    const self = lines.find((l) => l.myself);
    const who = self ? label(self) : viewer;
    for (const l of lines) {
      if (l.id === nodeId && l.slots.length > 0)
        reasons.add(`${who}'s own view says ${label(l)} owns slots (it became a master with slots)`, l.myself);
      if (l.role === 'replica' && l.masterId === nodeId && l.id !== nodeId)
        reasons.add(
          l.myself
            ? `${who} replicates it (Redis would answer "Can't forget my master!")`
            : `${who}'s own view says ${label(l)} replicates it`,
          l.myself,
        );
      if (l.migrating.some((m) => m.to === nodeId) || l.importing.some((i) => i.from === nodeId))
        reasons.add(`${who}'s own view has a slot open towards or from it`, l.myself);
      if (l.id === nodeId && (l.migrating.length > 0 || l.importing.length > 0))
        reasons.add(`${who}'s own view says it has open slots`, l.myself);
    }
  }
  return [...found].map(([reason, firm]) => ({ reason, firm }));
}

/**
 * The nodes that must FORGET `nodeId`: every node any answering node lists (itself included), but the removed node
 * and lines in handshake or without an address (not members yet, or nothing to send to).
 */
export function forgetTargets(views: OwnViews, nodeId: string): Array<{ id: string; addr: string }> {
  const found = new Map<string, string>();
  for (const lines of views.values())
    for (const l of lines) {
      if (l.id === nodeId || l.flags.includes('handshake') || l.flags.includes('noaddr') || !l.host) continue;
      if (!found.has(l.id)) found.set(l.id, label(l));
    }
  return [...found].map(([id, addr]) => ({ id, addr }));
}
