import 'server-only';
import type { PlannedMove } from './engine';

const pairOf = (m: PlannedMove) => `${m.sourceId}>${m.targetId}`;

/**
 * The engine's batches, in plan order. With `exclusiveNodes` (rebalance), a batch holds the slots of one source→target
 * pair, and a pair starts only while no other pair holds either of its nodes: moves whose nodes are disjoint run side
 * by side, no node is in two moves at once, and a pair whose nodes are busy waits while later pairs that are free go.
 */
export class BatchQueue {
  private readonly pairs: Array<{ key: string; source: string; target: string; slots: PlannedMove[] }> = [];
  private readonly holders = new Map<string, { pair: string; batches: number }>();
  private next = 0;

  constructor(
    private readonly moves: readonly PlannedMove[],
    private readonly size: number,
    private readonly exclusiveNodes: boolean,
  ) {
    if (!exclusiveNodes) return;
    const byKey = new Map<string, (typeof this.pairs)[number]>();
    for (const move of moves) {
      const key = pairOf(move);
      let pair = byKey.get(key);
      if (!pair) {
        pair = { key, source: move.sourceId, target: move.targetId, slots: [] };
        byKey.set(key, pair);
        this.pairs.push(pair);
      }
      pair.slots.push(move);
    }
  }

  get empty(): boolean {
    return this.exclusiveNodes ? this.pairs.every((p) => p.slots.length === 0) : this.next >= this.moves.length;
  }

  /** The next batch that may start now; undefined when none is left or every pair left waits for a busy node. */
  take(): PlannedMove[] | undefined {
    if (!this.exclusiveNodes) {
      if (this.next >= this.moves.length) return undefined;
      const batch = this.moves.slice(this.next, this.next + this.size);
      this.next += batch.length;
      return batch;
    }
    const free = (node: string, pair: string) => {
      const holder = this.holders.get(node);
      return !holder || holder.pair === pair;
    };
    const pair = this.pairs.find((p) => p.slots.length > 0 && free(p.source, p.key) && free(p.target, p.key));
    if (!pair) return undefined;
    const batch = pair.slots.splice(0, this.size);
    for (const node of [pair.source, pair.target]) {
      const holder = this.holders.get(node);
      this.holders.set(node, { pair: pair.key, batches: (holder?.batches ?? 0) + 1 });
    }
    return batch;
  }

  /** A batch taken earlier has finished: its nodes are free for other pairs once the pair has none in flight. */
  done(batch: readonly PlannedMove[]): void {
    const first = batch[0];
    if (!this.exclusiveNodes || !first) return;
    for (const node of [first.sourceId, first.targetId]) {
      const holder = this.holders.get(node);
      if (!holder) continue;
      if (holder.batches <= 1) this.holders.delete(node);
      else holder.batches--;
    }
  }
}
