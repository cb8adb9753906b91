/** What a create-cluster job has sent so far, node by node: what a failure leaves behind. */
export interface CreateProgress {
  /** Masters that accepted ADDSLOTSRANGE. */
  slots: string[];
  /** Nodes whose config epoch was set (or already non-zero). */
  epochs: string[];
  /** Nodes that were sent CLUSTER MEET (and so the first node, which they met). */
  met: string[];
  /** Replicas that accepted CLUSTER REPLICATE. */
  replicated: string[];
  /** The node a command was in flight to when the job stopped (it may have applied it). */
  inFlight?: string;
}

export const emptyProgress = (): CreateProgress => ({ slots: [], epochs: [], met: [], replicated: [] });

/**
 * The nodes that must be `CLUSTER RESET HARD` before they can be used again (SOFT keeps the config epoch, which a
 * later SET-CONFIG-EPOCH refuses), in the order given: once one MEET was sent gossip may reach every node.
 */
export function nodesToReset(ordered: readonly string[], progress: CreateProgress): string[] {
  if (progress.met.length) return [...ordered];
  const touched = new Set([...progress.slots, ...progress.epochs, ...(progress.inFlight ? [progress.inFlight] : [])]);
  return ordered.filter((a) => touched.has(a));
}

const list = (addrs: readonly string[]) => (addrs.length ? addrs.join(', ') : 'none');

/** One sentence for the failed step: what each node got, and which nodes to reset. */
export function describeLeftBehind(ordered: readonly string[], progress: CreateProgress): string {
  const reset = nodesToReset(ordered, progress);
  if (!reset.length) return 'nothing was changed on any node';
  const parts = [
    `slots on ${list(progress.slots)}`,
    `config epochs on ${list(progress.epochs)}`,
    `MEET sent by ${list(progress.met)}`,
    ...(progress.replicated.length ? [`REPLICATE on ${list(progress.replicated)}`] : []),
    ...(progress.inFlight ? [`a command in flight to ${progress.inFlight}`] : []),
  ];
  return `left behind: ${parts.join('; ')}; run CLUSTER RESET HARD on ${reset.join(', ')} before using them again (RESET SOFT keeps the config epoch)`;
}
