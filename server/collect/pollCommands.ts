import 'server-only';
/**
 * What every poll sends every node, in this order (pollNode.ts), before the occasional optional reads (CONFIG GET,
 * LATENCY, COUNTKEYSINSLOT). Shared with bench:snapshot's hand-written floor, so the floor sends the same.
 */
export const STEADY_COMMANDS: ReadonlyArray<readonly [string, ...string[]]> = [
  ['CLUSTER', 'NODES'],
  ['INFO'],
  ['CLUSTER', 'INFO'],
];
