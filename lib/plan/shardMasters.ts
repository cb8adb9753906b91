import type { SnapshotNode } from '../cluster/types';

export interface SlotMove {
  slot: number;
  sourceId: string;
  targetId: string;
}

export interface MappedMoves<M extends SlotMove> {
  moves: M[];
  /** Planned node id -> the master that stands for its shard now (a failover happened since the plan). */
  replaced: Map<string, string>;
  /** Why a move's node cannot be resolved (gone, failed with no successor known): nothing should run. */
  problems: string[];
}

type NodeLike = Pick<SnapshotNode, 'id' | 'addr' | 'role' | 'masterId' | 'flags' | 'slots'>;

const failed = (n: NodeLike) => n.flags.includes('fail') || n.flags.includes('handshake') || n.flags.includes('noaddr');

/**
 * A plan's moves (from a journal, written before a failover) with each node id replaced by the master of its shard
 * now: a planned master that has since become a replica (a failover promoted its replica, then it came back) stands
 * for its master; a planned source that failed stands for the healthy master that owns the move's slot now (its
 * promoted replica). A planned node otherwise failed or gone has no known successor: named in `problems`.
 */
export function mapToCurrentMasters<M extends SlotMove>(
  moves: readonly M[],
  nodes: readonly NodeLike[],
): MappedMoves<M> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const replaced = new Map<string, string>();
  const problems = new Set<string>();
  const ownerOf = (slot: number) =>
    nodes.find((n) => n.role === 'master' && !failed(n) && n.slots.some(([a, b]) => slot >= a && slot <= b));
  const resolve = (id: string, side: 'source' | 'target', move: SlotMove): string => {
    const node = byId.get(id);
    const owner = side === 'source' && (!node || failed(node)) ? ownerOf(move.slot) : undefined;
    if (owner && owner.id !== move.targetId) {
      replaced.set(id, owner.id);
      return owner.id;
    }
    if (!node) {
      problems.add(`the ${side} ${id.slice(0, 8)} is no longer in the cluster`);
      return id;
    }
    if (node.role === 'master' && !failed(node)) return id;
    const master = node.role === 'replica' && node.masterId ? byId.get(node.masterId) : undefined;
    if (master && master.role === 'master' && !failed(master)) {
      replaced.set(id, master.id);
      return master.id;
    }
    problems.add(
      failed(node)
        ? `the ${side} ${node.addr || id.slice(0, 8)} has failed and no master of its shard is known; wait for its replica to be promoted, or fix the cluster first`
        : `the ${side} ${node.addr || id.slice(0, 8)} is not a master and its master is unknown or failed`,
    );
    return id;
  };
  const mapped = moves.map((m) => ({
    ...m,
    sourceId: resolve(m.sourceId, 'source', m),
    targetId: resolve(m.targetId, 'target', m),
  }));
  for (const m of mapped)
    if (m.sourceId === m.targetId)
      problems.add(`slot ${m.slot}: its source and target are in the same shard now, nothing to move`);
  return { moves: mapped, replaced, problems: [...problems] };
}
