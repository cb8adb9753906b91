/**
 * Data a request reads from a node (not from the poller's snapshot), and how often it may be refreshed. The server
 * answers every identical request within one period from one round trip (periods aligned on the clock), and the UI
 * refetches at the same period, so fifty open tabs cost Redis what one tab does.
 */
export const ON_DEMAND_REFRESH_MS = {
  /** SLOWLOG GET, per node and merged across nodes. */
  slowlog: 10_000,
  /** CLUSTER LINKS of one node. */
  links: 10_000,
  /** CLUSTER COUNTKEYSINSLOT for a clicked slot. */
  slotKeys: 2_000,
} as const;

/** Entries read per node: the node page shows them all, the merged slow log the newest of every node. */
export const SLOWLOG_FETCH = 128;
