/**
 * The two ACL profiles the README documents, as `ACL SETUSER <name> <rules...>` rule lists (password added by the
 * caller). The integration tests run the dashboard as both, so the lists stay what the code needs.
 */

/**
 * The narrow monitor security-minded shops set up (redis_exporter's docs do the same): no CONFIG, no CLUSTER LINKS,
 * no COUNTKEYSINSLOT. Not documented as ours; the tests run as it to prove a refusal never hides a node.
 */
export const NARROW_MONITOR_RULES = [
  'resetkeys',
  '-@all',
  '+ping',
  '+info',
  '+cluster|nodes',
  '+cluster|info',
  '+cluster|myid',
  '+slowlog',
  '+latency',
] as const;

/** Read-only monitor: everything the screens read, nothing that changes a node or reads a value. */
export const MONITOR_RULES = [
  'resetkeys',
  'resetchannels',
  '-@all',
  '+ping',
  '+info',
  '+client|setname',
  '+cluster|nodes',
  '+cluster|info',
  '+cluster|myid',
  '+cluster|links',
  '+cluster|countkeysinslot',
  '+config|get',
  '+latency|latest',
  '+slowlog|get',
] as const;

/**
 * Operator: the monitor's reads plus what failover, reshard, rebalance, fix, add/remove node, config set, BGSAVE
 * (TIME paces it) and the big-key scan send; remove-node reads DBSIZE. MIGRATE needs key permissions (`~*`) on the source and RESTORE-ASKING and SELECT (it sends SELECT 0 first) on
 * the target, as the same user; DUMP compares a key found on both sides before anything is overwritten.
 */
export const OPERATOR_RULES = [
  ...MONITOR_RULES.filter((r) => r !== 'resetkeys'),
  '~*',
  '+cluster|failover',
  '+cluster|setslot',
  '+cluster|getkeysinslot',
  '+cluster|addslots',
  '+cluster|addslotsrange',
  '+cluster|delslots',
  '+cluster|meet',
  '+cluster|forget',
  '+cluster|replicate',
  '+cluster|reset',
  '+cluster|set-config-epoch',
  '+cluster|bumpepoch',
  '+config|set',
  '+config|rewrite',
  '+migrate',
  '+restore-asking',
  '+select',
  '+dump',
  '+asking',
  '+readonly',
  '+scan',
  '+type',
  '+memory|usage',
  '+strlen',
  '+llen',
  '+hlen',
  '+scard',
  '+zcard',
  '+xlen',
  '+exists',
  '+bgsave',
  '+time',
  '+dbsize',
] as const;
